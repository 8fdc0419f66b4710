from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import EmailField, HiddenField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..models import ROLES

# SelectChoice, not (value, label) tuples: tuples are deprecated in WTForms 3.3 and go in 3.4.
ROLE_CHOICES = [SelectChoice(r, r.capitalize()) for r in ROLES]


class SignInForm(FlaskForm):
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[DataRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class NewUserForm(FlaskForm):
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[DataRequired("Enter the person's name"), Length(max=200)])
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter an email address"),
                                   Email("Enter an email address in the correct format, like name@example.gov.uk"),
                                   Length(max=254)])
    role = RadioField("Role", choices=ROLE_CHOICES, widget=GovRadioInput(),
                      validators=[DataRequired("Choose a role")])
    password = PasswordField("Initial password", widget=GovPasswordInput(),
                             description="12 characters or more. Give it to the person securely; "
                                         "they can sign in with it straight away.",
                             validators=[DataRequired("Enter an initial password")])
    submit = SubmitField("Create user", widget=GovSubmitInput())


class ChangeRoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES, widget=GovSelect())
    submit = SubmitField("Change role", widget=GovSubmitInput())


class UserPageAction(FlaskForm):
    """Which of the user page's forms was sent (each carries a hidden ``action``); that form checks
    its own CSRF token, so this one has none."""
    class Meta:
        csrf = False

    action = HiddenField()


class ActiveForm(FlaskForm):
    submit = SubmitField("Deactivate", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    """A signed-in user changing their own password: the current one proves it is them."""
    current_password = PasswordField("Current password", widget=GovPasswordInput(),
                                     validators=[DataRequired("Enter your current password")])
    new_password = PasswordField("New password", widget=GovPasswordInput(),
                                 description="12 characters or more. Three random words work well.",
                                 validators=[DataRequired("Enter a new password")])
    new_password_again = PasswordField("Confirm new password", widget=GovPasswordInput(),
                                       validators=[DataRequired("Enter the new password again"),
                                                   EqualTo("new_password", "The new passwords do not match")])
    submit = SubmitField("Change password", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    """An admin setting a new password for someone (who forgot theirs, or whose was exposed)."""
    password = PasswordField("New password", widget=GovPasswordInput(),
                             description="12 characters or more. Give it to the person securely. "
                                         "Every session they have now is ended.",
                             validators=[DataRequired("Enter a new password")])
    password_again = PasswordField("Confirm new password", widget=GovPasswordInput(),
                                   validators=[DataRequired("Enter the new password again"),
                                               EqualTo("password", "The passwords do not match")])
    submit = SubmitField("Set password", widget=GovSubmitInput())
