# Messages about the registration date and number (src/registration.rs).

registration-date-without-number = --reg-date was given without --reg-number
registration-number-without-date = --reg-number was given without --reg-date
registration-both-or-neither = give both --reg-date and --reg-number (final mode) or neither (template mode)
registration-bad-date = `{ $date }` is not a valid registration date: { $why }
registration-date-help = write the date as dd.mm.yyyy (15.03.2024) or yyyy-mm-dd (2024-03-15)
registration-date-form = it is not written as dd.mm.yyyy or yyyy-mm-dd
registration-date-digits = day, month and year must be the digits 0-9
registration-year-two-digits = write the year with four digits: { $day }.{ $month }.20{ $year }
registration-year-four-digits = write the year with four digits, e.g. { $day }.{ $month }.2024
registration-year-not-four = the year `{ $year }` does not have four digits
registration-year-range = the year { $year } is not between { $first } and { $last }
registration-year-range-help = give the year the directive is registered in
registration-no-such-day = that day does not exist
registration-no-such-day-help = { $usual }; the day must exist in that month
registration-bad-number = `{ $number }` is not a valid directive number: { $why }
registration-number-help = give the number as registered, e.g. 1-1/24/37 or 2-3/24/123-A: the digits 0-9, Latin letters, '-', '/', '.' and spaces, at most { $max } characters, on one line
registration-number-too-long = it is longer than { $max } characters
registration-number-foreign-digit = `{ $character }` (U+{ $code }) is a digit of another script; write the digits 0-9
registration-number-bad-character = the character `{ $character }` (U+{ $code }) is not allowed
registration-number-no-digit = it has no digit
registration-date-format-fails = the template's date format cannot write the date
registration-date-format-fails-help = use chrono's format codes, e.g. "%d.%m.%Y"
registration-not-drawable = `{ $text }` has the character `{ $character }` (U+{ $code }) that the fonts cannot draw
registration-not-drawable-help = write it with characters the template's fonts have
