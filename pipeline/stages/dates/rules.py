"""The dates stage's tunables."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DateRules:
    """The tunable choices of the date grammar (its lexicons and conventions stay in the module)."""

    window_back: int = 40
    """Characters before a trigger word (a month, a year, "ago") searched for a pattern match holding it.
    A match cut by the window's end is searched again with room, so the windows trade speed for the rare
    match that starts further back. Default: longer than the prefixes of the patterns ("the first Tuesday of")."""
    window_ahead: int = 40
    """Characters after a trigger word searched likewise. Default: as `window_back`."""
    clock_window_back: int = 20
    """Characters before a clock cue (":", "am", "GMT") searched for a time of day. Default: "twelve
    forty-five" and its spaces."""
    clock_window_ahead: int = 12
    """Characters after a clock cue searched for the rest of the time ("a.m. GMT"). Default: the longest zone with a meridiem."""
    weekday_year_span: int = 11
    """Years either way searched for the year in which a day and month fall on the weekday named with them
    ("Fri, Jul 18", no year). Default: every day and month falls on each weekday within 11 years."""
