"""The owners' side: owner accounts, update requests sent by mail, replies by signed link or login,
and the manager's review that makes a reply count."""
