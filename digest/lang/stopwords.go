package lang

import "strings"

// IsStop reports whether the lower-cased word w is a function word of
// language code (articles, pronouns, prepositions, conjunctions, auxiliary
// verbs and the reporting verbs of news: "said", "sagte", "заявил").
func IsStop(code, w string) bool { return stops[code][w] }

// Stopwords returns the stop words of language code (nil for a language
// without a list). The map must not be changed.
func Stopwords(code string) map[string]bool { return stops[code] }

// The lists are the commonest function words of each language, after the
// Snowball project's stop word lists, cut to the words that occur in news
// text, plus each language's reporting verbs.
var stops = map[string]map[string]bool{
	"en": words(`a about above after again against all also am an and any are as at be because been before being
		below between both but by can could did do does doing down during each even few for from further had has
		have having he her here hers herself him himself his how i if in into is it its itself just me more most my
		myself no nor not now of off on once only or other our ours ourselves out over own same she should so some
		such than that the their theirs them themselves then there these they this those through to too under until
		up very was we were what when where which while who whom why will with would you your yours yourself said
		says say told one two new may might must shall us mr mrs ms dr yet still however according per via`),
	"de": words(`der die das den dem des ein eine einer eines einem einen und oder aber doch sondern denn als wie wenn
		ob dass daß weil da so auch noch nur schon sehr mehr nicht kein keine keiner keinen keinem ich du er sie es wir
		ihr mich dich sich uns euch mir dir ihm ihn ihnen mein dein sein ihr unser euer seine seiner seinem seinen ihre
		ihrer ihrem ihren unsere bin bist ist sind seid war waren wäre gewesen sein hat habe haben hatte hatten hätte
		wird werden wurde wurden worden würde kann können konnte konnten muss müssen musste soll sollen sollte will
		wollen wollte darf mag in im an am auf aus bei mit nach von vom zu zum zur für über unter vor hinter neben
		zwischen durch gegen ohne um bis seit während wegen trotz ab dies diese dieser dieses diesem diesen jener man
		was wer wo wann warum welche welcher welches hier dort dann jetzt heute gestern morgen alle alles viele
		einige andere anderen etwa rund sagte sagt sagten erklärte laut demnach sowie bereits immer wieder nun`),
	"fr": words(`le la les l un une des du de d au aux et ou mais donc or ni car que qu qui quoi dont où ce cet cette
		ces ceux celle celles celui il elle ils elles on je tu nous vous me te se lui leur leurs son sa ses mon ma
		mes ton ta tes notre nos votre vos y en ne pas plus moins très aussi bien tout tous toute toutes est sont
		était étaient été être a ont avait avaient avoir fait faire sera seront serait peut peuvent doit dans sur
		sous pour par avec sans chez entre vers contre depuis pendant selon après avant comme si lors déjà encore
		a-t-il dit déclaré selon affirmé indiqué`),
	"es": words(`el la los las lo un una unos unas y e o u pero sino ni que quien quienes cual cuales cuyo donde cuando
		como porque pues si no ya muy más menos también tan tanto todo todos toda todas de del al a en con por para
		sin sobre entre hasta desde durante según contra hacia tras ante bajo es son era eran fue fueron ser sido
		siendo está están estaba estaban estar ha han había habían haber he hemos hay se le les lo me te nos os su
		sus mi mis tu tus nuestro nuestra este esta estos estas ese esa esos esas aquel eso esto él ella ellos ellas
		yo tú usted ustedes nosotros dijo afirmó aseguró señaló explicó indicó`),
	"it": words(`il lo la i gli le un uno una e ed o ma però né che chi cui dove quando come perché se non già più meno
		anche molto tutto tutti tutta tutte di del dello della dei degli delle a al allo alla ai agli alle da dal
		dallo dalla dai dagli dalle in nel nello nella nei negli nelle su sul sullo sulla sui sugli sulle con per
		tra fra è sono era erano fu furono essere stato stata stati ha hanno aveva avevano avere ho si ci vi mi ti
		lo gli ne suo sua suoi sue loro mio mia questo questa questi queste quello quella quelli io tu lui lei noi
		voi essi ha detto ha dichiarato secondo ha spiegato ha affermato`),
	"pt": words(`o a os as um uma uns umas e ou mas nem que quem qual quais cujo onde quando como porque se não já
		muito mais menos também tão todo todos toda todas de do da dos das ao aos à às em no na nos nas num numa
		com por pelo pela pelos pelas para sem sobre entre até desde durante segundo contra após é são era eram foi
		foram ser sido está estão estava estar tem têm tinha ter há havia seu sua seus suas meu minha este esta
		estes estas esse essa isso isto aquele aquela ele ela eles elas eu você nós lhe lhes me te se disse afirmou`),
	"nl": words(`de het een en of maar want dus dat die dit deze wie wat waar wanneer hoe omdat als dan niet geen
		ook nog al wel zeer meer minder veel van in op aan met voor door bij naar uit over onder tegen tussen tot
		sinds tijdens zonder om te is zijn was waren ben bent geweest heeft hebben had hadden wordt worden werd
		werden zal zullen zou zouden kan kunnen kon moet moeten ik jij je hij zij ze we wij jullie u mij me hem haar
		hen hun ons onze mijn jouw zich er hier daar nu zei zegt aldus volgens`),
	"ru": words(`и в во не что он на я с со как а то все всё она так его но да ты к у же вы за бы по только ее её
		мне было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас
		нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была
		сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь
		этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть
		после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой
		перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это также которые который
		которая которых является заявил заявила сообщил сообщила сказал сказала отметил отметила по словам`),
	"uk": words(`і й та в у на з із зі до від по за під над про для при без через між що як а але або чи не ні так
		це цей ця ці той та ті він вона воно вони я ти ми ви його її їх їм йому їй мене мені нас вас нам вам себе
		свій своя свої є був була було були буде бути вже ще лише тільки також теж навіть дуже більш більше який
		яка яке які котрий де коли чому тому якщо щоб хоча після перед поки заявив заявила повідомив повідомила
		сказав сказала зазначив зазначила словами`),
	"pl": words(`i w we z ze na do od po za pod nad przy bez przez między o u a ale lub albo czy nie ani tak to ten
		ta te tego tej tym tych który która które których którym jest są był była było byli były będzie być już
		jeszcze tylko także też nawet bardzo bardziej więcej jak co gdzie kiedy dlaczego ponieważ jeśli żeby aby
		się sobie siebie on ona ono oni one ja ty my wy go jej ich im mu mnie nas was jego swój swoja swoje po
		oraz według powiedział powiedziała dodał dodała przekazał`),
	"tr": words(`ve ile de da ki bu şu o bir için gibi kadar daha en çok az ama fakat ancak veya ya ne değil mi mı mu
		mü olan olarak oldu olduğu olduğunu olmak ise her hem sonra önce göre karşı kendi ben sen biz siz onlar
		onun bunu bunun şey diye dedi söyledi açıkladı belirtti ifade etti üzerine tarafından`),
	"ar": words(`في من على إلى الى عن مع أن ان إن هذا هذه ذلك تلك التي الذي الذين ما لا لم لن قد كان كانت يكون
		هو هي هم نحن أنا انت أو او ثم بل حتى كل بعد قبل بين عند عندما منذ خلال حول أي إذا اذا لكن و ف ب ل ك
		وقال قال قالت وأضاف أضاف وأكد أكد`),
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
