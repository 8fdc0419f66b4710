import pytest

from tracker.domain.status import (CATEGORIES, CATEGORY_LABELS, CLOSED, OPEN, Classification, Project, Settled,
                                   classify, find_project, parse_category, settle)

PROJECTS = (
    Project("CCC", ("CCC", "Customer Contact Centre")),
    Project("CIVIC", ("Civic Centre space review", "Civic Centre accommodation review")),
    Project("PDP", ("PDP",)),
    Project("LIAISON", ("Liaison Group",)),
    Project("TIR", ("replacement to TIR", "TIR replacement")),
)

# Every distinct measured-output wording in the Carlisle seed, then other councils' wordings.
CASES = [
    ("One new road sign has been installed.", "in_progress", None),
    ("To start", "not_started", None),
    ("Agreed design.  Awaiting start date.", "in_progress", None),
    ("Provision made for ad-hoc cleaning when required", "complete", None),
    ("Complete", "complete", None),
    ("Complete.", "complete", None),
    ("Pending outcome of Civic Centre space review", "dependent", "CIVIC"),
    ("Information Desk performs that function", "complete", None),
    ("Outcome of CCC Project", "dependent", "CCC"),
    ("Several schemes identified", "in_progress", None),
    ("Complete for the printed medium", "in_progress", None),
    ("Complete.  Location decided upon as the Civic Centre", "complete", None),
    ("Recommendation redundant due to the central nature of proposed CCC", "not_applicable", None),
    ("Complete.  Queuing system to be installed in December.", "in_progress", None),
    ("No longer applicable", "not_applicable", None),
    ("To consider after CCC Project implementation", "dependent", "CCC"),
    ("To start.  Will arise from the work of the Customer Service Liaison Group", "dependent", "LIAISON"),
    ("Currently happens with the Main Reception operation.  Other channels will flow from the CCC Project",
     "dependent", "CCC"),
    ("Will be addressed as part of the Corporate PDP initiative.", "dependent", "PDP"),
    ("Some hard management information is now available for non-Revenues face to face visits.  "
     "These need to be converted into PI\u2019s.", "in_progress", None),
    ("On hold pending outcome of CCC Project", "on_hold", "CCC"),
    ("Postponed until replacement to TIR\u2019s delivered", "postponed", "TIR"),
    ("Some systems in place but by no means comprehensive coverage of all areas of operation", "in_progress", None),
    ("Complete/On-going", "ongoing", None),
    ("Planned as part of new PDP scheme", "dependent", "PDP"),
    ("Customer Service Liaison Group to assume control", "dependent", "LIAISON"),
    ("Cancelled.  Agenda items raised as necessary", "cancelled", None),
    ("Awaiting establishment of service", "dependent", None),
    ("Complete for Main Reception \u2013 to be carried out for new Customer Contact Centre", "in_progress", "CCC"),
    ("Part of PDP Programme", "dependent", "PDP"),
    ("Reviewed as part of PDP programme", "dependent", "PDP"),
    ("Still to start", "not_started", None),
    # Other councils
    ("Completed March 2024", "complete", None),
    ("In progress \u2013 report to Cabinet in June", "in_progress", None),
    ("Not started", "not_started", None),
    ("Not yet started", "not_started", None),
    ("To be started", "not_started", None),
    ("Ongoing", "ongoing", None),
    ("Deferred to 2025/26", "postponed", None),
    ("N/A", "not_applicable", None),
    ("Withdrawn", "cancelled", None),
    ("Awaiting decision of Executive", "dependent", None),
    ("Lorem ipsum", None, None),
    ("", "not_started", None),
    ("   \n\t ", "not_started", None),
    ("Customer Contact Centre", "dependent", "CCC"),      # names a project and nothing else
    ("To start once the TIR replacement is live", "dependent", "TIR"),
    ("Online form went live in April", "complete", None),
    ("On track for March", "in_progress", None),
    ("Behind schedule: supplier delay", "in_progress", None),
    ("Not yet due", "not_started", None),
]


@pytest.mark.parametrize("text, category, depends_on", CASES, ids=[c[0] or repr(c[0]) for c in CASES])
def test_classify(text, category, depends_on):
    result = classify(text, PROJECTS)
    assert (result.category, result.depends_on) == (category, depends_on)
    assert result.reason.strip()


def test_reason_quotes_the_words_and_names_the_project():
    reason = classify("Outcome of CCC Project", PROJECTS).reason
    assert '"Outcome of"' in reason and "CCC project" in reason


def test_closed_items_depend_on_nothing():
    for text, category, depends_on in CASES:
        if category in CLOSED:
            assert depends_on is None, text


def test_without_projects_nothing_is_a_dependency_on_a_project():
    result = classify("Outcome of CCC Project")
    assert isinstance(result, Classification) and (result.category, result.depends_on) == ("dependent", None)
    assert classify("To start.  Will arise from the CCC").depends_on is None


@pytest.mark.parametrize("text", ["\u00df\u0130\u2019\u200b\U0001F600 done?", "Complete\u00a0\u2014 \u0130stanbul",
                                  "\x00\ufeffTo start", "n/a/b", "\u2018Complete\u2019"])
def test_odd_unicode_is_classified_without_error_and_the_text_is_untouched(text):
    before = str(text)
    result = classify(text, PROJECTS)
    assert text == before
    assert result.category in CATEGORIES + (None,) and result.reason
    assert text not in (result.category, result.depends_on)


def test_find_project_prefers_the_longest_alias_then_the_first_named():
    projects = (Project("CONTACT", ("Contact Centre",)), Project("CCC", ("Customer Contact Centre", "CCC")))
    assert find_project("Awaiting the Customer Contact Centre", projects) == "CCC"
    assert find_project("Awaiting the contact centre", projects) == "CONTACT"
    assert find_project("PDP first, then CCC", PROJECTS) == "PDP"
    assert find_project("CCCP and PDPs", PROJECTS) is None          # whole words only
    assert find_project("Nothing here", PROJECTS) is None
    assert find_project("Awaiting XYZ", [Project("XYZ", ())]) == "XYZ"  # no aliases: the code names it


@pytest.mark.parametrize("word, category", [
    ("Complete", "complete"), ("completed", "complete"), ("done", "complete"), ("Complete.", "complete"),
    ("In Progress", "in_progress"), ("in_progress", "in_progress"), ("not started", "not_started"),
    ("on-going", "ongoing"), ("Ongoing", "ongoing"), ("n/a", "not_applicable"), ("N/A", "not_applicable"),
    ("Not applicable", "not_applicable"), ("not_applicable", "not_applicable"), ("On hold", "on_hold"),
    ("cancelled", "cancelled"), ("Postponed", "postponed"), ("deferred", "postponed"), ("dependent", "dependent"),
    ("On track", "in_progress"), ("Behind schedule", "in_progress"), ("Not due", "not_started"),
    ("Green", None), ("Red", None), ("Amber", None), ("RAG", None), ("", None), ("   ", None), ("Purple", None),
])
def test_parse_category(word, category):
    assert parse_category(word) == category


@pytest.mark.parametrize("code", CATEGORIES)
def test_parse_category_reads_codes_and_labels(code):
    assert parse_category(code) == code
    assert parse_category(CATEGORY_LABELS[code]) == code
    assert parse_category(CATEGORY_LABELS[code].upper()) == code


def test_vocabulary():
    assert CATEGORIES == ("complete", "ongoing", "in_progress", "not_started", "dependent", "on_hold", "postponed",
                          "cancelled", "not_applicable")
    assert set(CATEGORY_LABELS) == set(CATEGORIES)
    assert CLOSED == {"complete", "cancelled", "not_applicable"}
    assert OPEN == set(CATEGORIES) - CLOSED


# --- an unrecognised text keeps the previous category and is flagged ---

@pytest.mark.parametrize("text", ["Lorem ipsum", "Spoke to Jan about it", "See attached note", "??"])
def test_unrecognised_text_is_said_to_be_unrecognised_not_not_started(text):
    result = classify(text, PROJECTS)
    assert result.category is None and "no rule" in result.reason


def test_settle_keeps_the_previous_category_and_flags_an_unrecognised_text():
    assert settle(classify("Spoke to Jan about it"), previous="in_progress") == Settled("in_progress", True)
    assert settle(classify("Spoke to Jan about it"), previous="complete") == Settled("complete", True)


def test_settle_gives_a_new_item_with_an_unrecognised_text_not_started_but_flagged():
    assert settle(classify("Spoke to Jan about it"), previous=None) == Settled("not_started", True)


@pytest.mark.parametrize("text, category", [("Complete", "complete"), ("To start", "not_started"),
                                            ("", "not_started"), ("On track for March", "in_progress")])
def test_settle_takes_a_recognised_text_and_does_not_flag_it(text, category):
    assert settle(classify(text, PROJECTS), previous="on_hold") == Settled(category, False)


def test_a_category_chosen_by_a_person_wins_and_is_not_flagged():
    assert settle(classify("Spoke to Jan about it"), chosen="on_hold", previous="in_progress") == \
        Settled("on_hold", False)
    assert settle(classify("Complete"), chosen="in_progress", previous=None) == Settled("in_progress", False)
