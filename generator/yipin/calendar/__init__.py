"""Activity calendars: the occurrences in the publishing window (occurrences.py) and the
iCalendar feeds (ical.py). The repeat field's language itself is content/recurrence.py."""
