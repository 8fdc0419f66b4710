import pytest

from tracker.domain.status import (
    CATEGORIES,
    CATEGORY_LABELS,
    CLOSED,
    NOT_SLIPS,
    OPEN,
    SLIP_TARGETS,
    Classification,
    Project,
    Settled,
    classify,
    find_project,
    fold_word,
    parse_category,
    read_status_word,
    settle,
)

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
    ("RAG", None), ("", None), ("   ", None), ("Purple", None),
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


# --- the wider vocabulary of status words (module docstring, rules 1-5) ---

@pytest.mark.parametrize("word, category", [
    # short past-tense outcomes
    ("Actioned", "complete"), ("Delivered", "complete"), ("Agreed and implemented", "complete"),
    ("Finished", "complete"), ("Resolved", "complete"), ("Signed off", "complete"), ("Fully implemented", "complete"),
    ("Achieved (Fully)", "complete"), ("Complete \u2013 embedded", "complete"), ("Closed - complete", "complete"),
    ("Renegotiated", "complete"), ("Embedded", "complete"), ("Met", "complete"),
    # work on the way: budgets, decisions, negotiations, trouble
    ("Budget approved", "in_progress"), ("Decision made", "in_progress"), ("Funding secured", "in_progress"),
    ("Renegotiating", "in_progress"), ("Partially implemented", "in_progress"), ("Partly implemented", "in_progress"),
    ("Substantially complete", "in_progress"), ("Slipped", "in_progress"), ("At risk", "in_progress"),
    ("Off track", "in_progress"), ("Off-track", "in_progress"), ("On track but not yet due", "in_progress"),
    ("Commenced", "in_progress"), ("In hand", "in_progress"), ("WIP", "in_progress"),
    # waiting, not begun, continuing, ended
    ("Awaiting funding", "dependent"), ("Awaiting approval", "dependent"), ("Awaiting sign-off", "dependent"),
    ("Not commenced", "not_started"), ("Yet to start", "not_started"),
    ("Business as usual", "ongoing"), ("BAU", "ongoing"), ("Continuing", "ongoing"),
    ("Abandoned", "cancelled"), ("Discontinued", "cancelled"), ("Not proceeding", "cancelled"),
    ("Superseded", "not_applicable"), ("No longer required", "not_applicable"), ("Obsolete", "not_applicable"),
    ("On-hold", "on_hold"), ("Hold", "on_hold"),
])
def test_wider_vocabulary(word, category):
    assert parse_category(word) == category


@pytest.mark.parametrize("word", ["On-going", "On going", "ON_GOING", "on \u2013 going", "Ongoing.", " ongoing "])
def test_hyphen_dash_space_and_underscore_variants_are_one_word(word):
    assert parse_category(word) == "ongoing"
    assert fold_word(word) in ("on going", "ongoing")


def test_fold_word_is_the_remembered_form():
    assert fold_word("  Amber-ish\u00a0 ") == fold_word("AMBER ish") == "amber ish"
    assert fold_word("Green \u2013 on track") == fold_word("green - on track") == "green on track"
    assert fold_word("") == ""


@pytest.mark.parametrize("word, category", [
    ("Compelte", "complete"), ("Complted", "complete"), ("Completd", "complete"), ("Onging", "ongoing"),
    ("Ongiong", "ongoing"), ("Superceded", "not_applicable"), ("Dependant", "dependent"), ("Cancelld", "cancelled"),
    ("Postponned", "postponed"), ("Implimented", "complete"), ("In progess", "in_progress"), ("Not startd", "not_started"),
])
def test_a_misspelling_one_slip_from_a_status_word_is_read_and_said(word, category):
    reading = read_status_word(word)
    assert reading.category == category
    assert not reading.known
    if fold_word(word) not in ("superceded",):        # "Superceded" is in the rules as written
        assert "misspelling" in reading.reason


@pytest.mark.parametrize("word", [
    "Compete", "Competed", "Stated", "Stared", "Starred", "Commended", "Deterred", "Auctioned", "Contiguous",
    "Gone", "None", "Dine", "Dome",      # one letter from "done", but short words are never corrected
    "Complement", "Completely wrong",    # more than one slip, or a real word beside a status word
    "Onions", "Comet",
])
def test_real_words_near_a_status_word_are_not_read_as_misspellings(word):
    assert parse_category(word) is None


def test_every_slip_target_is_long_and_no_real_word_on_the_list_is_a_target():
    assert all(len(word) >= 7 for word in SLIP_TARGETS)
    assert not NOT_SLIPS & set(SLIP_TARGETS)


@pytest.mark.parametrize("word, category", [
    ("Blue", "complete"), ("B", "complete"), ("Green", "in_progress"), ("G", "in_progress"),
    ("Amber", "in_progress"), ("A", "in_progress"), ("Yellow", "in_progress"), ("Red", "in_progress"),
    ("R", "in_progress"), ("A/G", "in_progress"), ("Amber/Green", "in_progress"), ("R/A", "in_progress"),
    ("Green/Blue", "in_progress"), ("B/B", "complete"), ("RAG status: Amber", "in_progress"),
    ("Green \u2013 on track", "in_progress"), ("Green - complete", "complete"), ("Red - not started", "not_started"),
    ("Amber (awaiting funding)", "dependent"), ("Amber - supplier issues", "in_progress"), ("Blue \u2013 100%", "complete"),
])
def test_rag_colours_are_read_by_the_stated_rule(word, category):
    reading = read_status_word(word)
    assert reading.category == category
    assert reading.reason and not reading.known


def test_red_is_open_work_never_not_started_and_green_is_never_complete():
    assert read_status_word("Red").category in OPEN - {"not_started"}
    assert "not work that has not started" in read_status_word("Red").reason
    assert read_status_word("Green").category != "complete"
    assert "never read as complete" in read_status_word("Green").reason


@pytest.mark.parametrize("word", ["A Smith", "G block", "B2", "Greenwich", "Redbridge", "Bluebell", "RAG"])
def test_letters_and_words_that_only_begin_like_a_colour_are_not_colours(word):
    assert parse_category(word) is None


@pytest.mark.parametrize("word, category", [
    ("100%", "complete"), ("100% complete", "complete"), ("100 %", "complete"), ("0%", "not_started"),
    ("0% complete", "not_started"), ("75%", "in_progress"), ("1%", "in_progress"), ("99.5%", "in_progress"),
    ("c. 80%", "in_progress"), ("Progress: 40%", "in_progress"), ("50% done", "in_progress"),
    ("150%", None), ("1000%", None), ("75", None),
])
def test_percentages(word, category):
    assert parse_category(word) == category


@pytest.mark.parametrize("word", ["Accepted", "Rejected", "Agreed", "Approved", "Open", "Closed", "Delayed", "Overdue",
                                  "Not implemented", "Not achieved", "Grey", "Yes", "Live", "Stopped"])
def test_ambiguous_words_are_asked_not_guessed(word):
    assert read_status_word(word).category is None


def test_a_response_word_is_asked_in_a_status_column_but_a_progress_text_is_still_read_by_the_rules():
    assert parse_category("Agreed") is None
    assert classify("Agreed design.  Awaiting start date.").category == "in_progress"


def test_a_known_word_needs_no_check_and_a_rule_reading_says_why():
    assert read_status_word("Completed").known
    assert not read_status_word("Green").known and not read_status_word("75%").known
    assert "%" in read_status_word("75%").reason


@pytest.mark.parametrize("text, category", [
    ("Actioned", "complete"), ("Compelte", "complete"), ("Green", "in_progress"), ("75% complete", "in_progress"),
    ("100%", "complete"), ("Progress: 40%", "in_progress"), ("Contract renegotiated", "complete"),
    ("Training delivered", "complete"), ("Agreed and implemented in March", "complete"),
    ("Budget approved by Cabinet in May", "in_progress"), ("Decision made to go ahead", "in_progress"),
    ("Awaiting funding from the Home Office", "dependent"), ("Partially implemented", "in_progress"),
    ("Not fully implemented", "in_progress"), ("Delivered in part", "in_progress"),
    ("Implemented in some areas", "in_progress"), ("100% complete, awaiting sign-off", "in_progress"),
    ("Slipped to quarter 3", "in_progress"), ("Not commenced", "not_started"), ("On-hold until April", "on_hold"),
    ("Abandoned after consultation", "cancelled"), ("Superceded by the new strategy", "not_applicable"),
    ("Amber \u2013 awaiting funding", "dependent"),
])
def test_progress_texts_in_the_wider_vocabulary(text, category):
    assert classify(text, PROJECTS).category == category


@pytest.mark.parametrize("text", ["Not delivered", "Never delivered", "Blue badge bays marked out",
                                  "Green waste round reviewed", "Satisfaction rose to 85%", "Spent 100% of the budget",
                                  "Staff compete for places", "A Smith to lead"])
def test_progress_texts_that_only_look_like_status_words_are_not_read(text):
    assert classify(text, PROJECTS).category is None
