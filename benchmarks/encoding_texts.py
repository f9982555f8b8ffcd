"""Real-language paragraphs for the legacy-encoding benchmark (:mod:`benchmarks.encoding_set`).

News-style paragraphs composed for this benchmark (Romanian, Lithuanian and English also come from
the repository's ``seeds``). Six paragraphs per language: the benchmark's two halves take the even
and the odd ones, so the held-out half never shares a sentence with the half a change is tuned on.
"""

from __future__ import annotations

TEXTS: dict[str, list[str]] = {
    "ru": [
        "Президент России Владимир Путин в четверг заявил, что Москва и Минск продолжат укреплять "
        "военное сотрудничество на фоне «сложной международной обстановки». По словам "
        "пресс-секретаря Кремля Дмитрия Пескова, переговоры длились почти шесть часов.",
        "Стороны обсудили поставки вооружений, совместные учения и экономическую интеграцию "
        "Союзного государства. Александр Лукашенко напомнил, что Белоруссия зависит от "
        "российских энергоносителей, и попросил сохранить льготные цены на газ до конца "
        "следующего года.",
        "Эксперты считают, что Минск не будет напрямую участвовать в боевых действиях, однако "
        "продолжит предоставлять свою территорию для размещения российских войск. Оппозиция в "
        "изгнании назвала встречу «спектаклем для внутренней аудитории».",
        "В пятницу в Санкт-Петербурге открылся экономический форум, на который съехались "
        "делегации из сорока стран. Организаторы сообщили, что подписано более двухсот "
        "соглашений на общую сумму свыше трёх триллионов рублей, хотя западных инвесторов "
        "почти не было.",
        "Жители приграничных районов жалуются на рост цен и перебои с поставками лекарств. "
        "Местные власти обещают решить проблему к зиме, но признают, что денег в бюджете не "
        "хватает, а часть врачей уже уехала работать в столицу.",
        "Журналисты независимых изданий, работающих из Вильнюса и Варшавы, рассказали, что их "
        "сайты заблокированы, а читатели вынуждены пользоваться VPN. Несмотря на это, "
        "аудитория за последний год выросла почти вдвое.",
    ],
    "uk": [
        "Президент України заявив, що країна не погодиться на жодні територіальні поступки, і "
        "закликав партнерів пришвидшити постачання засобів протиповітряної оборони. За його "
        "словами, лише за минулий тиждень ворог випустив понад сто ракет.",
        "Міністерство закордонних справ повідомило, що посол Білорусі був викликаний для "
        "пояснень через переміщення військ біля кордону. Українська сторона вимагає гарантій, що "
        "територія сусідньої держави не буде використана для нового наступу.",
        "У Львові відкрився книжковий форум, на який приїхали видавці з дванадцяти країн. "
        "Організатори кажуть, що попри війну люди купують більше книжок українською мовою, ніж "
        "будь-коли раніше, особливо історичних і дитячих.",
        "Енергетики попереджають, що взимку можливі відключення світла, якщо обстріли "
        "інфраструктури триватимуть. Уряд закликає громадян економити електроенергію і "
        "встановлювати генератори в лікарнях, школах та пунктах незламності.",
        "Ґрунтовне дослідження соціологів показало, що більшість опитаних вірить у перемогу, "
        "але очікує довгої і виснажливої боротьби. Її автори наголошують, що довіра до армії "
        "залишається найвищою серед усіх інституцій.",
        "Фермери з півдня країни розповідають, що поля досі заміновані, а зібраний урожай "
        "доводиться вивозити через західний кордон. Європейські сусіди тим часом сперечаються "
        "про мита на українське зерно.",
    ],
    "be": [
        "Прэзідэнт Беларусі Аляксандр Лукашэнка ў чацвер заявіў, што краіна не збіраецца "
        "ўдзельнічаць у вайне, але будзе абараняць свае межы. Ён таксама паведаміў, што "
        "ў бліжэйшыя тыдні пачнуцца сумесныя вучэнні з расійскай арміяй.",
        "Апазіцыйныя палітыкі ў выгнанні лічаць, што ўлады выкарыстоўваюць вызваленне "
        "палітвязняў як разменную манету ў перамовах з Захадам. Па іх звестках, за кратамі "
        "застаюцца больш за тысячу чалавек.",
        "У Мінску адбылася прэзентацыя новай кнігі пра гісторыю Вялікага Княства Літоўскага. "
        "Аўтар расказаў, што працаваў над ёй амаль дзесяць гадоў і шмат часу правёў у архівах "
        "Вільні, Кракава і Варшавы.",
        "Незалежныя журналісты працягваюць працаваць з-за мяжы, бо ў краіне іх рэдакцыі "
        "прызнаныя экстрэмісцкімі. Чытачы, якія падпісваюцца на такія сайты, рызыкуюць "
        "атрымаць штраф ці нават арышт.",
        "Беларускія фермеры скардзяцца на недахоп працоўных рук: многія маладыя людзі з'ехалі ў "
        "Польшчу і Літву. Мясцовыя ўлады абяцаюць павысіць заробкі, але ў раённых бюджэтах "
        "грошай амаль няма.",
        "Мова застаецца адной з самых вострых тэм грамадскага жыцця. Бацькі, якія хочуць, каб "
        "дзеці вучыліся па-беларуску, кажуць, што такіх класаў у сталіцы становіцца ўсё менш.",
    ],
    "bg": [
        "Президентът на България заяви в четвъртък, че страната ще продължи да подкрепя "
        "Украйна, но няма да изпраща войници. Според него решението за нови доставки на "
        "оръжие трябва да бъде взето от Народното събрание.",
        "Министерството на енергетиката съобщи, че доставките на газ от Азербайджан са се "
        "увеличили почти двойно през последната година. Експертите смятат, че зависимостта от "
        "руския газ вече е значително по-малка.",
        "В София се проведе протест срещу поскъпването на хляба и горивата. Хиляди хора се "
        "събраха пред сградата на правителството и поискаха оставката на министъра на "
        "земеделието, който отказа да коментира.",
        "Археолози откриха край Пловдив останки от римска вила с добре запазени мозайки. "
        "Ръководителят на разкопките каза, че находката е една от най-значимите през "
        "последното десетилетие и ще бъде отворена за посетители.",
        "Туристическият сезон по Черноморието започна с по-високи цени, но хотелиерите "
        "очакват рекорден брой гости от Румъния, Полша и Германия. Общините обещават "
        "по-чисти плажове и повече спасители.",
        "Учители от цялата страна настояват за по-високи заплати и по-малко документи. "
        "Синдикатите предупредиха, че ако исканията им не бъдат изпълнени, през есента ще има "
        "стачка в училищата.",
    ],
    "sr": [
        "Председник Србије изјавио је у четвртак да земља неће увести санкције Русији, али да "
        "остаје посвећена путу ка Европској унији. Он је додао да ће о томе разговарати са "
        "европским лидерима следеће недеље у Бриселу.",
        "Студенти у Београду и Новом Саду наставили су протесте због пада надстрешнице на "
        "железничкој станици. Они траже да се објави целокупна документација о "
        "реконструкцији и да одговорни буду кажњени.",
        "Министарство финансија саопштило је да је привредни раст у првом тромесечју био већи "
        "од очекиваног. Економисти упозоравају да инфлација и даље погађа најсиромашније "
        "грађане и пензионере.",
        "У Нишу је одржан фестивал џеза на коме су наступили музичари из петнаест земаља. "
        "Организатори кажу да је посећеност била рекордна, а улаз на већину концерата био је "
        "бесплатан за младе.",
        "Пољопривредници из Војводине жале се на сушу и ниске откупне цене пшенице. Влада је "
        "обећала помоћ, али сељаци кажу да новац стиже прекасно и да многи већ продају "
        "стоку.",
        "Новинари независних медија тврде да су изложени све већем притиску, укључујући "
        "претње на друштвеним мрежама. Удружења новинара позвала су полицију да хитно "
        "пронађе одговорне.",
    ],
    "pl": [
        "Prezydent Polski zapowiedział w czwartek, że kraj zwiększy wydatki na obronność do "
        "pięciu procent produktu krajowego brutto. Według ministra obrony nowe czołgi i "
        "systemy przeciwlotnicze trafią do jednostek na wschodzie kraju już w przyszłym roku.",
        "Straż Graniczna poinformowała, że na granicy z Białorusią zatrzymano w ciągu tygodnia "
        "ponad trzysta osób próbujących nielegalnie przedostać się do Unii Europejskiej. "
        "Mieszkańcy przygranicznych wsi skarżą się na hałas śmigłowców.",
        "W Krakowie otwarto wystawę poświęconą historii Wielkiego Księstwa Litewskiego. "
        "Kuratorzy zgromadzili dokumenty, mapy i portrety z archiwów w Wilnie, Mińsku i "
        "Warszawie, a bilety na pierwsze dni zostały wyprzedane.",
        "Rolnicy z Podlasia znów zablokowali drogi, protestując przeciwko napływowi taniego "
        "zboża. Żądają, by rząd wynegocjował w Brukseli ograniczenia importu, i grożą, że "
        "jeśli nic się nie zmieni, przyjadą ciągnikami do stolicy.",
        "Niezależni dziennikarze z Białorusi, którzy od kilku lat pracują w Białymstoku, "
        "mówią, że ich czytelnicy coraz częściej boją się komentować artykuły. Służby w Mińsku "
        "ścigają nawet za udostępnienie wpisu.",
        "Ekonomiści oczekują, że inflacja spadnie poniżej trzech procent, a bank centralny "
        "obniży stopy procentowe jesienią. Kredytobiorcy liczą na niższe raty, ale ceny "
        "mieszkań w dużych miastach nadal rosną.",
    ],
    "cs": [
        "Česká vláda ve čtvrtek schválila návrh rozpočtu, který počítá s vyššími výdaji na "
        "obranu a dopravní infrastrukturu. Ministr financí uvedl, že schodek se má v příštím "
        "roce snížit přibližně o čtvrtinu.",
        "Prezident republiky přijal na Pražském hradě představitele běloruské opozice. "
        "Podle mluvčího hovořili o situaci politických vězňů a o tom, jak mohou evropské země "
        "pomoci rodinám zadržených.",
        "V Brně začal mezinárodní filmový festival, na kterém se představí přes sto snímků z "
        "třiceti zemí. Pořadatelé očekávají rekordní návštěvnost, vstupenky na zahajovací "
        "večer byly vyprodány během několika minut.",
        "Zemědělci z jižní Moravy si stěžují na sucho, které letos zničilo velkou část úrody "
        "vinné révy. Žádají o mimořádnou podporu a upozorňují, že bez ní řada menších "
        "vinařství skončí.",
        "Čeští turisté letos nejčastěji jezdili do Chorvatska, Itálie a Řecka. Cestovní "
        "kanceláře uvádějí, že ceny zájezdů vzrostly o desetinu, ale zájem lidí o dovolenou "
        "u moře neklesá.",
        "Vědci z Univerzity Karlovy oznámili objev nového druhu brouka v jeskyních na "
        "Slovensku. Zvíře žije v naprosté tmě, nemá oči a živí se drobnými houbami rostoucími "
        "na vlhkých stěnách.",
    ],
    "sk": [
        "Slovenská vláda v stredu schválila balík opatrení na zníženie cien energií pre "
        "domácnosti. Premiér vyhlásil, že štát bude dotovať elektrinu aj plyn až do konca "
        "budúceho roka, opozícia však varuje pred rastom dlhu.",
        "Na hraničnom priechode s Ukrajinou sa v piatok vytvorili kolóny kamiónov dlhé takmer "
        "desať kilometrov. Vodiči čakali aj dva dni a sťažovali sa, že nemajú prístup k vode "
        "ani k toaletám.",
        "V Bratislave sa konal koncert na podporu nezávislej kultúry, na ktorý prišlo viac "
        "ako desaťtisíc ľudí. Umelci kritizovali zmeny vo financovaní divadiel a galérií, "
        "ktoré podľa nich ohrozujú slobodu tvorby.",
        "Lesníci z Tatier upozorňujú, že počet medveďov v blízkosti obcí sa zvyšuje. "
        "Odporúčajú turistom, aby chodili v skupinách, nenechávali jedlo pri chatách a v "
        "prípade stretnutia so zvieraťom zachovali pokoj.",
        "Univerzity hlásia, že stále viac mladých Slovákov odchádza študovať do Českej "
        "republiky a Rakúska. Rektori žiadajú vyššie platy pre učiteľov a lepšie vybavené "
        "laboratóriá, inak vraj odliv talentov neustane.",
        "Železničná spoločnosť oznámila, že od decembra pribudnú nové spoje medzi Košicami a "
        "Žilinou. Cestujúci sa dočkajú aj modernejších vozňov s klimatizáciou a pripojením na "
        "internet.",
    ],
    "hu": [
        "A magyar kormány csütörtökön bejelentette, hogy jövőre emeli a nyugdíjakat és a "
        "családi pótlékot. A pénzügyminiszter szerint a költségvetési hiány ennek ellenére "
        "csökkenni fog, mert a gazdaság gyorsabban nő a vártnál.",
        "Budapesten több ezer ember tüntetett a sajtószabadság védelmében. A szervezők azt "
        "követelték, hogy a közmédia adjon teret az ellenzéki véleményeknek is, és szűnjön "
        "meg a független újságírók lejáratása.",
        "A Balaton partján idén rekordszámú turista pihent, a szállodák telítettsége elérte a "
        "kilencven százalékot. A vendéglátósok ugyanakkor panaszkodnak, hogy nem találnak elég "
        "szakácsot és felszolgálót.",
        "Az ukrán határ közelében fekvő falvakban egyre több menekült család telepedik le. "
        "A helyi önkormányzatok szerint az iskolákban már külön osztályokat kellett "
        "indítani a gyerekeknek, akik még nem beszélnek magyarul.",
        "A Debreceni Egyetem kutatói új gyógyszert fejlesztettek ki, amely ígéretes "
        "eredményeket mutatott a ritka betegségek kezelésében. Az első klinikai vizsgálatok "
        "jövő tavasszal kezdődnek több európai kórházban.",
        "A gazdák arra figyelmeztetnek, hogy az aszály miatt a kukorica termése a felére "
        "csökkenhet. Öntözőrendszerek építésére kérnek támogatást, mert szerintük a "
        "szárazság már nem kivétel, hanem szabály.",
    ],
    "sl": [
        "Slovenska vlada je v četrtek sprejela predlog zakona o zmanjšanju davkov na plače. "
        "Minister za finance je dejal, da bodo imeli delavci z nižjimi dohodki vsak mesec več "
        "denarja, delodajalci pa manj birokracije.",
        "V Ljubljani je potekal shod za podporo Ukrajini, ki se ga je udeležilo več tisoč "
        "ljudi. Govorniki so pozvali evropske države, naj pospešijo dobavo orožja in sprejmejo "
        "nove sankcije proti Rusiji.",
        "Poplave, ki so prejšnji teden prizadele Koroško in Savinjsko dolino, so povzročile "
        "za več sto milijonov evrov škode. Prostovoljci še vedno pomagajo čistiti hiše, ceste "
        "in mostove pa bodo obnavljali več mesecev.",
        "Na Bledu se je začel mednarodni šahovski turnir, na katerem nastopajo igralci iz "
        "štiridesetih držav. Organizatorji pričakujejo, da si bo tekme v živo ogledalo več "
        "kot deset tisoč obiskovalcev.",
        "Kmetje iz Prekmurja opozarjajo, da zaradi suše pridelek koruze letos ne bo dosegel "
        "niti polovice običajne količine. Od države zahtevajo pomoč in hitrejšo gradnjo "
        "namakalnih sistemov.",
        "Slovenski raziskovalci so razvili novo metodo za zgodnje odkrivanje raka na "
        "trebušni slinavki. Preizkus, ki temelji na analizi krvi, je pravilno prepoznal "
        "bolezen pri devetih od desetih bolnikov.",
    ],
    "hr": [
        "Hrvatska vlada u četvrtak je predstavila plan obnove željezničke mreže vrijedan više "
        "od dvije milijarde eura. Ministar prometa rekao je da će putovanje vlakom od Zagreba "
        "do Splita za pet godina trajati manje od četiri sata.",
        "U Zagrebu je održan prosvjed protiv poskupljenja stanova i najma. Mladi ljudi koji su "
        "se okupili na Trgu bana Jelačića tvrde da si bez pomoći roditelja više ne mogu "
        "priuštiti vlastiti dom.",
        "Turistička sezona na Jadranu ove je godine počela ranije nego inače, a najviše gostiju "
        "stiže iz Njemačke, Austrije i Slovenije. Ugostitelji se žale na manjak radnika i "
        "zapošljavaju sezonce iz Azije.",
        "Znanstvenici s Instituta Ruđer Bošković otkrili su novu vrstu bakterije koja može "
        "razgraditi plastiku u moru. Njihovo istraživanje objavljeno je u uglednom "
        "međunarodnom časopisu.",
        "Ribari iz Dalmacije upozoravaju da je ulov srdele i inćuna sve manji zbog "
        "zagrijavanja mora. Traže od države da produlji zabranu ribolova tijekom mriještenja "
        "i pojača nadzor nad stranim brodovima.",
        "Hrvatski košarkaši pobijedili su Srbiju u uzbudljivoj utakmici i plasirali se u "
        "četvrtfinale europskog prvenstva. Navijači su slavili do kasno u noć na ulicama "
        "Zagreba, Splita i Osijeka.",
    ],
    "de": [
        "Die Bundesregierung hat am Donnerstag beschlossen, die Hilfen für die Ukraine im "
        "kommenden Jahr deutlich aufzustocken. Der Verteidigungsminister sagte, zusätzliche "
        "Luftabwehrsysteme würden noch vor dem Winter geliefert.",
        "In Berlin demonstrierten mehrere tausend Menschen für die Freilassung politischer "
        "Gefangener in Belarus. Die Organisatoren forderten schärfere Sanktionen gegen das "
        "Regime in Minsk und mehr Visa für verfolgte Journalisten.",
        "Die Deutsche Bahn kündigte an, dass sich Verspätungen im Fernverkehr wegen zahlreicher "
        "Baustellen bis zum Frühjahr häufen werden. Fahrgastverbände kritisieren die schlechte "
        "Planung und fordern Entschädigungen für Pendler.",
        "Forscher der Universität Heidelberg haben einen Stoff entdeckt, der das Wachstum von "
        "Tumorzellen bremst. Die Ergebnisse seien vielversprechend, erste klinische Studien "
        "könnten jedoch frühestens in drei Jahren beginnen.",
        "Auf dem Münchner Oktoberfest wurden in diesem Jahr rund sechs Millionen Besucher "
        "gezählt. Die Preise für eine Maß Bier stiegen erneut, was viele Gäste ärgerte, die "
        "Stimmung in den Zelten blieb aber größtenteils friedlich.",
        "Landwirte in Brandenburg klagen über die anhaltende Trockenheit und fürchten große "
        "Ernteausfälle. Der Bauernverband verlangt schnelle Hilfen und eine Förderung für "
        "moderne Bewässerungsanlagen.",
    ],
    "fr": [
        "Le président de la République a annoncé jeudi une hausse importante du budget de la "
        "défense, afin de renforcer la sécurité de l'Europe face à la menace russe. Selon "
        "l'Élysée, les premières livraisons auront lieu dès l'été prochain.",
        "À Paris, plusieurs milliers de personnes ont manifesté pour réclamer la libération "
        "des prisonniers politiques biélorusses. Les organisateurs ont dénoncé « l'indifférence "
        "des gouvernements européens » et appelé à de nouvelles sanctions.",
        "Les agriculteurs du sud-ouest s'inquiètent d'une sécheresse exceptionnelle qui "
        "menace les récoltes de maïs et de tournesol. Ils demandent à l'État des aides "
        "d'urgence et un accès facilité à l'eau des réservoirs.",
        "Une équipe de chercheurs de l'université de Lyon a mis au point un nouveau traitement "
        "contre une maladie rare du cœur. Les essais cliniques, menés sur une centaine de "
        "patients, ont donné des résultats très encourageants.",
        "Le festival de théâtre d'Avignon a accueilli cette année un public record, malgré la "
        "chaleur étouffante. Les spectateurs ont particulièrement apprécié une création "
        "consacrée à l'exil des artistes biélorusses.",
        "La SNCF prévoit des perturbations importantes pendant les fêtes en raison de "
        "travaux sur plusieurs lignes à grande vitesse. Les voyageurs sont invités à vérifier "
        "leurs horaires avant de se rendre à la gare.",
    ],
    "el": [
        "Ο πρωθυπουργός της Ελλάδας ανακοίνωσε την Πέμπτη νέα μέτρα στήριξης για τις "
        "οικογένειες με χαμηλά εισοδήματα. Σύμφωνα με την κυβέρνηση, οι συντάξεις θα αυξηθούν "
        "από τον Ιανουάριο και οι φόροι στα καύσιμα θα μειωθούν.",
        "Χιλιάδες πολίτες διαδήλωσαν στην Αθήνα ζητώντας δικαιοσύνη για τα θύματα του "
        "σιδηροδρομικού δυστυχήματος. Οι οικογένειες των νεκρών κατηγορούν τις αρχές ότι "
        "καθυστερούν σκόπιμα την έρευνα.",
        "Η τουριστική περίοδος στα νησιά του Αιγαίου ξεκίνησε με ρεκόρ αφίξεων από τη "
        "Γερμανία και τη Βρετανία. Οι ξενοδόχοι όμως παραπονιούνται ότι δεν βρίσκουν αρκετό "
        "προσωπικό για τις κουζίνες και τα εστιατόρια.",
        "Αρχαιολόγοι ανακάλυψαν κοντά στη Θεσσαλονίκη έναν ρωμαϊκό τάφο με εξαιρετικά "
        "καλοδιατηρημένες τοιχογραφίες. Το Υπουργείο Πολιτισμού ανέφερε ότι το εύρημα θα "
        "εκτεθεί στο κοινό μέσα στον επόμενο χρόνο.",
        "Οι αγρότες της Θεσσαλίας ζητούν αποζημιώσεις για τις καταστροφές που προκάλεσαν οι "
        "πλημμύρες του περασμένου φθινοπώρου. Πολλά χωριά παραμένουν χωρίς δρόμους και "
        "νερό, ενώ τα χωράφια είναι ακόμη λασπωμένα.",
        "Η Εθνική ομάδα μπάσκετ νίκησε τη Σερβία σε έναν συναρπαστικό αγώνα και προκρίθηκε "
        "στα ημιτελικά. Οι φίλαθλοι γιόρτασαν μέχρι αργά το βράδυ στις πλατείες της Αθήνας "
        "και του Πειραιά.",
    ],
    "tr": [
        "Türkiye Cumhurbaşkanı perşembe günü yaptığı açıklamada, ülkenin Ukrayna ile Rusya "
        "arasında arabuluculuk yapmaya hazır olduğunu söyledi. Dışişleri Bakanı da İstanbul'da "
        "yeni bir görüşme turu düzenlenebileceğini belirtti.",
        "Merkez Bankası faiz oranlarını değiştirmedi, ancak enflasyonun yılın ikinci yarısında "
        "düşmesinin beklendiğini açıkladı. Ekonomistler, gıda fiyatlarındaki artışın hâlâ "
        "ailelerin bütçesini zorladığını vurguluyor.",
        "İzmir'de düzenlenen uluslararası fuara kırk ülkeden yüzlerce şirket katıldı. "
        "Organizatörler, ziyaretçi sayısının geçen yıla göre neredeyse iki katına çıktığını "
        "ve birçok ticari anlaşma imzalandığını söyledi.",
        "Karadeniz bölgesindeki şiddetli yağışlar sel ve heyelanlara yol açtı. Yetkililer, "
        "köylerde mahsur kalan vatandaşların helikopterlerle kurtarıldığını ve yolların "
        "kısa sürede açılacağını bildirdi.",
        "Ankara'daki bir üniversitede çalışan bilim insanları, kuraklığa dayanıklı yeni bir "
        "buğday türü geliştirdi. Çiftçiler, tohumların önümüzdeki sonbahar ekimine yetişmesini "
        "umuyor.",
        "Milli futbol takımı, deplasmanda oynadığı zorlu maçta Çekya'yı yenerek grubunu lider "
        "tamamladı. Taraftarlar gece geç saatlere kadar sokaklarda kutlama yaptı.",
    ],
    "lv": [
        "Latvijas valdība ceturtdien apstiprināja nākamā gada budžetu, kurā paredzēts "
        "palielināt izdevumus aizsardzībai līdz trim procentiem no iekšzemes kopprodukta. "
        "Finanšu ministrs sacīja, ka nodokļi netiks celti.",
        "Uz robežas ar Baltkrieviju pēdējā nedēļā aizturēti vairāk nekā divi simti cilvēku, "
        "kuri mēģināja nelikumīgi iekļūt Eiropas Savienībā. Robežsargi sūdzas par nogurumu "
        "un prasa papildu darbiniekus.",
        "Rīgā sākās starptautisks džeza festivāls, kurā uzstājas mūziķi no piecpadsmit "
        "valstīm. Organizatori stāsta, ka biļetes uz lielāko daļu koncertu tika izpārdotas "
        "jau pirms mēneša.",
        "Lauksaimnieki Zemgalē brīdina, ka sausuma dēļ graudu raža šogad varētu būt par "
        "trešdaļu mazāka nekā parasti. Viņi lūdz valsts atbalstu un ātrāku kompensāciju "
        "izmaksu.",
        "Latvijas Universitātes zinātnieki izstrādājuši jaunu metodi, kā agrīni atklāt "
        "meža kaitēkļus ar dronu palīdzību. Pētījums ļaus mežsaimniekiem ietaupīt naudu un "
        "laiku.",
        "Neatkarīgie baltkrievu žurnālisti, kas strādā no Rīgas, saka, ka viņu lasītāju skaits "
        "pagājušajā gadā ir pieaudzis gandrīz divas reizes, neraugoties uz bloķēšanu mājās.",
    ],
    "et": [
        "Eesti valitsus kiitis neljapäeval heaks järgmise aasta eelarve, mis suurendab "
        "kaitsekulutusi üle kolme protsendi sisemajanduse koguproduktist. Rahandusminister "
        "ütles, et käibemaksu tõstmine jääb siiski ära.",
        "Narva piiripunktis tekkisid reedel pikad järjekorrad, sest Venemaa poolel kontrolliti "
        "autosid tavapärasest põhjalikumalt. Mõned reisijad ootasid piiril üle kümne tunni.",
        "Tallinnas algas rahvusvaheline filmifestival, kus näidatakse üle kahesaja filmi "
        "viiekümnest riigist. Korraldajad loodavad, et külastajate arv ületab eelmise aasta "
        "rekordi.",
        "Põllumehed Lõuna-Eestis kurdavad, et vihmane suvi rikkus suure osa viljasaagist. "
        "Nad paluvad riigilt toetust ja kiiremat abi, sest paljud väiketalud on raskustes.",
        "Tartu Ülikooli teadlased avastasid uue meetodi, mille abil saab metsakahjureid "
        "varakult tuvastada. Uuring võib säästa metsaomanikele miljoneid eurosid.",
        "Šokolaaditootja teatas, et tõstab hindu kakao kallinemise tõttu. Žürii valis samal "
        "ajal parimaks toiduaineks väikese Saaremaa juustutootja leiva.",
    ],
}

#: English frames for the "few non-ASCII characters" variant: an English text quoting a headline
#: or a name in the language (ASCII apart from the quote).
ENGLISH_FRAMES: list[str] = [
    "The regional press covered the meeting at length. One paper ran the headline \"{q}\" on its "
    "front page, and its editor later said the story had been read more than any other that week. "
    "Officials declined to comment on the report.",
    "Our correspondent, who has followed the negotiations for months, sent this short note: the "
    "phrase quoted most often in the capital was \"{q}\", and few people expected a quick deal. "
    "The talks are due to resume next month.",
    "Readers asked us to translate a widely shared post. It begins \"{q}\" and goes on to describe "
    "the queues at the border. We could not verify every detail, but two witnesses confirmed the "
    "account independently.",
    "A spokesman read out a statement in the local language, beginning \"{q}\", before answering "
    "questions in English. He said the ministry would publish the full text on its website later "
    "in the day.",
]

#: Two more paragraphs of our own per seed language, so each half has enough text for a long file.
EXTRA: dict[str, list[str]] = {
    "ro": [
        "Guvernul de la Chișinău a anunțat joi că va închide încă două puncte de trecere a "
        "frontierei cu Transnistria, invocând riscuri de securitate. Opoziția a criticat "
        "decizia, spunând că afectează mii de oameni care muncesc de o parte și de alta.",
        "Fermierii din Bărăgan se plâng că seceta din această vară le-a distrus aproape "
        "jumătate din recolta de porumb. Ei cer despăgubiri rapide și investiții în irigații, "
        "fără de care spun că nu vor mai putea lucra pământul.",
    ],
    "lt": [
        "Lietuvos Vyriausybė ketvirtadienį pritarė kitų metų biudžeto projektui, pagal kurį "
        "gynybai bus skirta daugiau nei trys procentai bendrojo vidaus produkto. Finansų "
        "ministrė teigė, kad mokesčiai nebus didinami.",
        "Vilniuje prasidėjo tarptautinis kino festivalis, kuriame bus parodyta daugiau kaip "
        "šimtas filmų iš keturiasdešimties šalių. Organizatoriai džiaugiasi, kad bilietai į "
        "atidarymo seansą išparduoti per kelias minutes.",
    ],
    "en": [
        "The European Commission said on Thursday that it would propose a new package of "
        "sanctions targeting companies that help Minsk evade export controls. Diplomats expect "
        "the measures to be approved before the end of the year.",
        "Farmers across the region are bracing for a difficult winter after a dry summer cut "
        "harvests by almost a third. Several governments have promised emergency aid, but "
        "growers say the money rarely arrives on time.",
    ],
}
