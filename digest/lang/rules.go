package lang

// SplitRules are what a sentence splitter needs to know of a language
// beyond its punctuation. Words are lower-cased and written without their
// final full stop ("z.b", "т.е"), except Openers, which are as written.
type SplitRules struct {
	// NeverBreak are abbreviations that stand before a name or a phrase
	// and so never end a sentence ("Dr.", "г.", "np.").
	NeverBreak map[string]bool
	// NumberAbbrev do not end a sentence before a number ("Nr. 5", "стр. 3").
	NumberAbbrev map[string]bool
	// OpeningAbbrev may end a sentence too ("usw.", "etc."): a break only
	// when a word of Openers follows.
	OpeningAbbrev map[string]bool
	// Openers are words that commonly open a sentence of the language.
	Openers map[string]bool
	// Months are the month names that may follow an ordinal day with a
	// full stop ("3. Oktober") or a day number ("3 октября").
	Months map[string]bool
	// OrdinalDot is true for languages that write ordinals with a full
	// stop ("im 19. Jahrhundert", "3. sırada"): a short number with a
	// full stop ends a sentence only before a word of Openers.
	OrdinalDot bool
}

// Rules returns the splitting rules of language code; an unknown language
// gets empty rules (the caller's defaults apply).
func Rules(code string) SplitRules { return rules[code] }

var rules = map[string]SplitRules{
	"en": {
		Openers: words(`The A An This That These Those It Its He She They We I You His Her Their Our My But And Or
			So Yet In On At For With After Before When While If As There Here Some Many Most However Meanwhile`),
		Months: words(`january february march april may june july august september october november december`),
	},
	"de": {
		NeverBreak: words(`bzw usw evtl ggf inkl nr str jh z.b d.h u.a v.a vgl sog zzgl abs hr hrn frau dr prof bspw
			ca ca tsd o.ä u.ä i.d.r z.t u.u s.o s.u geb gest verh tel allg ehem max min mind st dipl ing gem lt`),
		NumberAbbrev:  words(`nr abs art s bd kap jh jhd tsd mio mrd ziff`),
		OpeningAbbrev: words(`usw etc mio mrd tsd ff`),
		Openers: words(`Der Die Das Den Dem Des Ein Eine Einer Er Sie Es Wir Ich Ihr Im Am Auch Doch Aber Nach Bei
			Mit Laut Zudem Dies Diese Dieser Dann Damit Denn Dabei Daher Deshalb In Auf Für Seit Wie Was Wenn Als So
			Und Nun Noch Man Zum Zur Vor Unter Über Außerdem Allerdings Jetzt Heute`),
		Months: words(`januar jänner februar märz april mai juni juli august september oktober november dezember
			jan feb mär apr jun jul aug sep sept okt nov dez`),
		OrdinalDot: true,
	},
	"fr": {
		NeverBreak:    words(`m mm mme mmes mlle mlles dr pr me st ste av bd env cf hab tél min max gén col lt sgt`),
		NumberAbbrev:  words(`no n p pp art vol chap fig`),
		OpeningAbbrev: words(`etc env`),
		Openers: words(`Le La Les L Un Une Des Il Elle Ils Elles On Ce Cette Ces Cela Dans En Mais Pour Selon Après
			Avant Depuis Par Sur Si Lors Au Aux Et Pourtant Toutefois Ainsi Alors Je Nous Vous`),
		Months: words(`janvier février mars avril mai juin juillet août septembre octobre novembre décembre`),
	},
	"es": {
		NeverBreak:    words(`sr sra sres srta dr dra lic ing arq ud uds ee gral cap pte excmo sto sta av avda prof`),
		NumberAbbrev:  words(`núm no n pág págs art vol cap`),
		OpeningAbbrev: words(`etc uu`),
		Openers: words(`El La Los Las Lo Un Una En Pero Por Para Según Además Este Esta Estos Estas Ese Esa Eso Esto
			Se Al Del Con Sin Tras Desde Durante Cuando Como Si No Ya Así Sin También Y Ella Él Ellos`),
		Months: words(`enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre`),
	},
	"it": {
		NeverBreak:    words(`sig sigg sigra dott dottssa prof ing avv on sen gen geom rag arch mons p s`),
		NumberAbbrev:  words(`n nn pag pagg art vol cap fig`),
		OpeningAbbrev: words(`ecc cfr`),
		Openers: words(`Il Lo La I Gli Le Un Uno Una In Ma Per Secondo Questo Questa Nel Nella Dal Dalla Con Se Non
			Anche Dopo Prima Durante E Ed Inoltre Tuttavia Così Alla Al`),
		Months: words(`gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre`),
	},
	"pt": {
		NeverBreak:    words(`sr sra srs dr dra prof profa av eng gen cel dep min exmo exma sto sta`),
		NumberAbbrev:  words(`n nº pág págs art vol cap`),
		OpeningAbbrev: words(`etc`),
		Openers: words(`O A Os As Um Uma Em Mas Para Segundo Este Esta Esse Essa Isso No Na Nos Nas Com Sem Após
			Durante Quando Como Se Não Já Também E Ele Ela Eles Elas De Do Da`),
		Months: words(`janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro`),
	},
	"nl": {
		NeverBreak:    words(`dhr mevr mr dr drs ir ing prof blz bijv bv o.a d.w.z m.a.w i.p.v t.o.v ca jl st mw`),
		NumberAbbrev:  words(`nr blz art`),
		OpeningAbbrev: words(`enz etc`),
		Openers: words(`De Het Een Dat Die Dit Deze In Maar Volgens Ook Op Met Voor Na Bij Hij Zij Ze Wij We Er
			Toen Als Door Om Want Daarom Dan Nu`),
		Months: words(`januari februari maart april mei juni juli augustus september oktober november december`),
	},
	"ru": {
		NeverBreak: words(`т е д ул им пр пер просп проф акад ген гос обл р-н см рис т.е т.к т.н т.д т.п и.о в.т.ч
			др тов гр`),
		NumberAbbrev:  words(`стр с рис табл гл ст п ч ном`),
		OpeningAbbrev: words(`г гг руб тыс млн млрд трлн коп чел долл км др т.д т.п`),
		Openers: words(`В Во На По Это Как Но Он Она Они Мы Я Также При После До Для С Со К О Об И А Однако Кроме
			Тем Так Там Здесь Сейчас Ранее Позже Из У Как Что Этот Эта Эти Его Ее Её Их Всего Среди Кроме`),
		Months: words(`января февраля марта апреля мая июня июля августа сентября октября ноября декабря
			январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь`),
	},
	"uk": {
		NeverBreak:    words(`вул ім проф акад див обл м с т.д т.п т.зв і.о`),
		NumberAbbrev:  words(`стор с рис табл п ч ст`),
		OpeningAbbrev: words(`р рр грн тис млн млрд трлн коп т.д т.п`),
		Openers: words(`В У На По Це Як Але Він Вона Вони Ми Я Також При Після До Для З Із Зі До Про І А Однак Крім
			Так Там Тут Зараз Раніше Пізніше Що Цей Ця Ці Його Її Їх Всього Серед`),
		Months: words(`січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня
			січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень`),
	},
	"pl": {
		NeverBreak: words(`np tzn tj ul al pl prof dr hab inż mgr ks gen płk wg im św pkt ust ok godz red
			lic doc`),
		NumberAbbrev:  words(`nr pkt ust art s str poz`),
		OpeningAbbrev: words(`itd itp mln mld tys zł r w`),
		Openers: words(`W We Na Po To Jak Ale On Ona Oni My Ja Także Przy Po Do Dla Z Ze O A I Jednak Tak Tam Tu
			Teraz Wcześniej Później Co Ten Ta Te Jego Jej Ich Według Od Już Nie`),
		Months: words(`stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia
			styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień`),
	},
	"tr": {
		NeverBreak:    words(`dr prof doç av sn yrd vb vs örn bkz cad sok mah ltd şti a.ş t.c no`),
		NumberAbbrev:  words(`no s md`),
		OpeningAbbrev: words(`vb vs ltd`),
		Openers: words(`Bu Şu O Bir Ve Ama Ancak Fakat Ayrıca Daha Bunun Bu Da Böylece Öte Sonra Önce Her Ben Biz
			Onlar Türkiye Açıklamada Öte`),
		Months:     words(`ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık`),
		OrdinalDot: true,
	},
	"ar": {
		// د. (doctor), أ. (professor), م. (engineer), ص. (page).
		NeverBreak: words(`د أ م ص ج`),
	},
	"zh": {},
	"ja": {},
}
