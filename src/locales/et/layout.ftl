# Teated teksti kohta, mis leheküljele ei mahu (src/layout/), ja fontide kohta.

layout-header-too-tall = lehekülje päis on { $header } mm kõrge; lehekülg jätab sellele suurima teksti ühe rea ja lahtri sisevahe ({ $needed } mm) kohal ainult { $room } mm
layout-header-too-tall-help = lühendage lisa pealkirja või päise ridu või tehke malli header_pt, reavahe või veerised väiksemaks
layout-title-too-tall = pealkiri on kõrgem kui leheküljel päise all olev ruum
layout-title-too-tall-help = lühendage pealkirja või tehke malli title_pt väiksemaks
layout-too-wide = `{ $text }` ei saa oma veergu mahutamiseks poolitada (tekstile on { $width } mm laiust)
layout-too-wide-help = malli veerulaiused, sisevahed või kirjasuurused ei jäta sellele märgile ruumi; tehke veerg laiemaks või kiri väiksemaks
layout-font-unreadable = fondifaili ei saa lugeda: { $error }
layout-font-unreadable-help = kontrollige malli fontide teid (jaotises [fonts] regular ja bold)
layout-font-unusable = see ei ole kasutatav fondifail: { $why }
layout-font-unusable-help = andke malli jaotises [fonts] TrueType- (.ttf) või OpenType-font (.otf)
layout-font-no-cmap = selles ei ole märgitabelit (cmap)
