"""Word lists more than one stage reads, written once; each stage derives the set it needs.

A stage's own additions stay in the stage, named, because they are tuned choices of that stage
(the quantity stage's number words, the boilerplate stage's topic words).
"""

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
# Three letters each, in month order ("may" is its own abbreviation).
MONTH_ABBREVIATIONS = tuple(month[:3] for month in MONTHS)
# Every English month word with its number: full names, abbreviations and the four-letter "sept".
MONTH_NUMBERS = {word: n for n, words in enumerate(zip(MONTHS, MONTH_ABBREVIATIONS), 1) for word in words} | {"sept": 9}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# The commonest English words of three letters or more, function words and news reporting verbs
# ("said", "says"): every stage that looks past words without content skips at least these.
COMMON_WORDS = frozenset(
    """about after all also and any are been being but can could did for from had has have her his how
    into its just may more most new not only other our out over said say says she should some such than
    that the their them then there these they this those was were what when where which while who will
    with would you your""".split()
)
# English function words (articles, pronouns, prepositions, auxiliaries, conjunctions) and reporting
# words: the stop words of the stages that read single words (duplicates, quantities, claims).
STOP_WORDS = COMMON_WORDS | frozenset(
    """a am an as at be by do he i if in is it me my no of on or so to up we again against before between
    both does down during each few here last might must next nor off own same shall through told under
    until whom why""".split()
)
