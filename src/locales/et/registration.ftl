# Registreerimise kuupäeva ja registreerimisnumbri teated (src/registration.rs).

registration-date-without-number = --reg-date on antud ilma valikuta --reg-number
registration-number-without-date = --reg-number on antud ilma valikuta --reg-date
registration-both-or-neither = andke nii --reg-date kui ka --reg-number (lõplik lisa) või kumbki mitte (kavand)
registration-bad-date = `{ $date }` ei ole sobiv registreerimise kuupäev: { $why }
registration-date-help = kirjutage kuupäev kujul pp.kk.aaaa (15.03.2024) või aaaa-kk-pp (2024-03-15)
registration-date-form = see ei ole kirjutatud kujul pp.kk.aaaa ega aaaa-kk-pp
registration-date-digits = päev, kuu ja aasta tohivad sisaldada ainult numbreid 0-9
registration-year-two-digits = kirjutage aasta nelja numbriga: { $day }.{ $month }.20{ $year }
registration-year-four-digits = kirjutage aasta nelja numbriga, nt { $day }.{ $month }.2024
registration-year-not-four = aastas `{ $year }` ei ole nelja numbrit
registration-year-range = aasta { $year } ei ole vahemikus { $first } kuni { $last }
registration-year-range-help = andke aasta, mil käskkiri registreeritakse
registration-no-such-day = sellist päeva ei ole
registration-no-such-day-help = { $usual }; päev peab selles kuus olemas olema
registration-bad-number = `{ $number }` ei ole sobiv registreerimisnumber: { $why }
registration-number-help = andke number nii, nagu see registreeriti, nt 1-1/24/37 või 2-3/24/123-A: numbrid 0-9, ladina tähed, '-', '/', '.' ja tühikud, kõige rohkem { $max } märki, ühel real
registration-number-too-long = see on pikem kui { $max } märki
registration-number-foreign-digit = `{ $character }` (U+{ $code }) on teise kirjasüsteemi number; kirjutage numbrid 0-9
registration-number-bad-character = märk `{ $character }` (U+{ $code }) ei ole lubatud
registration-number-no-digit = selles ei ole ühtegi numbrit
registration-date-format-fails = malli kuupäevavorming ei suuda kuupäeva kirjutada
registration-date-format-fails-help = kasutage chrono vormingukoode, nt "%d.%m.%Y"
registration-not-drawable = `{ $text }` sisaldab märki `{ $character }` (U+{ $code }), mida fondid ei suuda joonistada
registration-not-drawable-help = kirjutage see märkidega, mis malli fontides olemas on
