# Malli faili (src/template.rs) ja selle värviprofiili (src/icc.rs) teated.

template-unreadable = malli ei saa lugeda: { $why }
template-unreadable-help = andke lisa mall valikuga --template FILE (vaikimisi templates/lisa.toml)
template-syntax-help = võrrelge kaasasoleva failiga templates/lisa.toml; kõik seal olevad jaotised ja võtmed on kohustuslikud
template-label-empty = silt `labels.{ $key }` on tühi
template-label-empty-help = kirjutage sildi tekst nii, nagu see peab tabelis olema
template-not-a-colour = see ei ole värv
template-not-a-colour-help = kirjutage kuus kuueteistkümnendnumbrit RRGGBB, nt "D9D9D9"
template-file-bad = fail { $file } { $why }
template-file-bad-help = tee on antud malli faili suhtes; parandage tee või kopeerige fail sinna
template-range-above = suurem kui { $min } ja kõige rohkem { $max }
template-range-between = vahemikus { $min } kuni { $max }
template-out-of-range = `{ $key }` on { $value }; see peab olema { $range }
template-out-of-range-help = kirjutage arv, mis on { $range } (kaasasoleva faili templates/lisa.toml kommentaarides on iga vahemik kirjas)
template-side-margins = külgveerised ({ $left } + { $right } mm) ei jäta { $width } mm laiusele leheküljele ruumi
template-side-margins-help = tehke margin_left_mm + margin_right_mm väiksemaks kui width_mm
template-top-bottom-margins = üla- ja alaveeris ({ $top } + { $bottom } mm) ei jäta { $height } mm kõrgusele leheküljele ruumi
template-top-bottom-margins-help = tehke margin_top_mm + margin_bottom_mm väiksemaks kui height_mm
template-columns = veerud ei mahu: vaja on silt { $label } mm < rühmad { $groups } mm < lehekülje sisu laius { $content } mm ja igas veerus vähemalt { $min } mm
template-columns-help = tehke label_column_mm väiksemaks kui groups_column_mm ja see omakorda väiksemaks kui lehekülje laius ilma külgveeristeta
template-padding = { $padding } mm sisevahe mõlemal pool jätab { $narrowest } mm laiuses veerus tekstile vähem kui { $min } mm
template-padding-help = tehke cell_padding_mm väiksemaks või veerud laiemaks
template-gap = { $gap } mm vahe ei jäta kinnitusridade kõrvale ruumi lisa pealkirjale (lehekülje sisu on { $content } mm lai)
template-gap-help = tehke column_gap_mm väiksemaks kui pool lehekülje laiusest veeriste vahel
template-date-format = see ei ole kasutatav kuupäevavorming
template-date-format-help = kasutage chrono vormingukoode, nt "%d.%m.%Y" kuupäeva 15.03.2024 jaoks, ilma juhtmärkide ja looksulgudeta
# Mis on valesti failiga, mille mall nimetab: "fail X …".
template-file-missing = ei ole olemas
template-file-unreadable = ei ole loetav: { $error }
template-file-folder = on kaust, mitte fail
template-file-fifo = on nimega toru (FIFO), mitte fail
template-file-device = on seade, mitte fail
template-file-socket = on sokkel, mitte fail
template-file-irregular = ei ole tavaline fail

# Värviprofiil: mis sellega valesti on (pärast "… ei ole kasutatav värviprofiil: ").
icc-too-short = failis on { $bytes ->
    [one] { $bytes } bait
   *[other] { $bytes } baiti
}, vähem kui ICC-profiili päise { $header } baiti
icc-no-signature = fail ei ole ICC-värviprofiil (allkiri `acsp` puudub)
icc-wrong-size = profiili päises on suuruseks märgitud { $declared } baiti, failis on { $bytes }
icc-not-rgb = profiili värviruum on `{ $space }`, mitte RGB
icc-wrong-class = profiili seadmeklass on `{ $class }`; väljundeesmärk vajab kuvari (mntr), väljundseadme (prtr) või värviruumi (spac) profiili
template-missing-key = võti `{ $key }` puudub
