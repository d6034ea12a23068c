"""The words of reports, French first: key -> {"fr": …, "en": …}. Fields are {named}."""

from __future__ import annotations

from storage.vocab import NAMES

_M: dict[str, tuple[str, str]] = {
    # Cover, contents, sections
    "report.kicker": ("Rapport d'e-réputation", "E-reputation report"),
    "report.title": ("{brand} — e-réputation", "{brand} — e-reputation"),
    "report.period": (
        "Du {first} au {last} ({days}) · comparé à la période du {pfirst} au {plast}",
        "From {first} to {last} ({days}) · compared with the previous {days}, {pfirst} to {plast}",
    ),
    "report.period_one": (
        "Journée du {day} · comparée à la veille, le {previous}",
        "The day of {day} · compared with the day before, {previous}",
    ),
    "report.generated": ("Généré le {when}", "Generated on {when}"),
    "report.empty": (
        "Aucune mention de {brand} sur cette période : les chiffres ci-dessous sont à zéro.",
        "No mentions of {brand} in this period: the figures below are zero.",
    ),
    "report.nothing": ("Rien à montrer sur cette période.", "Nothing to show for this period."),
    "toc.title": ("Sommaire", "Contents"),
    "section.headline": ("Chiffres clés", "Headline figures"),
    "section.volume": ("Volume dans le temps", "Volume over time"),
    "section.sentiment": ("Sentiment par source", "Sentiment per source"),
    "section.topics": ("Thématiques", "Topics"),
    "section.themes": ("Thèmes suivis", "Tracked themes"),
    "section.contributors": ("Contributeurs", "Contributors"),
    "section.posts": ("Publications", "Posts"),
    "section.competitors": ("Concurrents", "Competitors"),
    "section.method": ("Méthode", "Method"),
    # Page 1: the summary (reports/summary.py)
    "section.summary": ("En bref", "At a glance"),
    "when.day": ("le {day}", "on {day}"),
    "when.range": ("du {first} au {last}", "from {first} to {last}"),
    "when.hours": ("{day} de {start} à {end}", "{day}, {start} to {end}"),
    "when.day_before": ("la veille", "the day before"),
    "when.previous_days": ("les {n} jours précédents", "the previous {n} days"),
    "when.vs_day_before": ("par rapport à la veille", "on the day before"),
    "when.vs_previous_days": ("par rapport aux {n} jours précédents", "on the previous {n} days"),
    "change.steady": ("stable", "steady"),
    "change.up": ("en hausse de {pct}", "up {pct}"),
    "change.down": ("en baisse de {pct}", "down {pct}"),
    "summary.volume": (
        "{brand} : {mentions} {when} ({compared}) ; sentiment net {net} ({points}).",
        "{brand}: {mentions} {when} ({compared}); net sentiment {net} ({points}).",
    ),
    "summary.compared": ("{change} {previous}", "{change} {previous}"),
    "summary.no_previous": (
        "aucune mention {previous}, pas de comparaison",
        "none {previous}, no comparison",
    ),
    "summary.incomplete": (
        "pas de comparaison : {source} n'est collectée que depuis le {since}",
        "no comparison: {source} is collected only since {since}",
    ),
    "summary.empty": (
        "Aucune mention de {brand} {when}, alors que les sources ont été collectées.",
        "No mention of {brand} {when}, although the sources were collected.",
    ),
    "summary.empty_silent": ("Aucune mention de {brand} {when}.", "No mention of {brand} {when}."),
    "summary.silent": (
        "Sources sans nouvelle mention : {sources}.",
        "Sources with nothing new: {sources}.",
    ),
    "summary.silent_source": ("{source} depuis le {since}", "{source} since {since}"),
    "summary.silent_never": ("{source} (jamais collectée)", "{source} (never collected)"),
    "summary.silent_quiet": ("{source}", "{source}"),
    "summary.silent_later": (
        "{source} (collectée à partir du {covered})",
        "{source} (collected from {covered})",
    ),
    "summary.silent_list": ("{first} ; {next}", "{first}; {next}"),
    "summary.silent_failed": (
        "{source} (dernière collecte en échec)",
        "{source} (last collection failed)",
    ),
    "summary.alert_open": (
        "Alerte {severity} en cours depuis le {opened} : {negatives} en 1 h, là où on en attend "
        "{expected} (×{ratio}).",
        "Alert ({severity}) open since {opened}: {negatives} in 1 h, against {expected} "
        "expected (×{ratio}).",
    ),
    "summary.alert_kind_open": (
        "Alerte « {kind} » ({severity}) en cours depuis le {opened} : {cause}.",
        "Alert “{kind}” ({severity}) open since {opened}: {cause}.",
    ),
    "summary.alert_kind_closed": (
        "Alerte « {kind} » ({severity}) le {opened}, close : {cause}.",
        "Alert “{kind}” ({severity}) on {opened}, closed: {cause}.",
    ),
    "summary.alert_closed": (
        "Alerte {severity} le {opened} : {negatives} en 1 h, là où on en attendait {expected} "
        "(×{ratio}) ; elle est close.",
        "Alert ({severity}) on {opened}: {negatives} in 1 h, against {expected} expected "
        "(×{ratio}); it has closed.",
    ),
    "summary.event": (
        "{peak} {when} ({n}) coïncide avec un événement noté par l'équipe : {label}.",
        "The {peak} {when} ({n}) coincides with an event the team marked: {label}.",
    ),
    "summary.peak_negative": ("Le pic de mentions négatives", "peak of negative mentions"),
    "summary.peak_busiest": ("Le pic de mentions", "peak"),
    "summary.voice": (
        "Voix la plus influente : {author}, {followers} sur {source} : {posts}, {engagement}.",
        "Most influential voice: {author}, {followers} on {source}: {posts}, {engagement}.",
    ),
    "summary.theme": (
        "Thème « {theme} » : {mentions}, {change} ; sentiment net {net}.",
        "Theme “{theme}”: {mentions}, {change}; net sentiment {net}.",
    ),
    "summary.theme_new": (
        "Thème « {theme} » : {mentions}, contre aucune {previous} ; sentiment net {net}.",
        "Theme “{theme}”: {mentions}, against none {previous}; net sentiment {net}.",
    ),
    "summary.competitors": (
        "Part de voix : {brand} {share} ; {others}.",
        "Share of voice: {brand} {share}; {others}.",
    ),
    "quote.open": ("«\u00a0", "“"),
    "quote.close": ("\u00a0»", "”"),
    "summary.followers_unknown": ("abonnés inconnus", "followers unknown"),
    "summary.rival": ("{brand} {share}", "{brand} {share}"),
    "summary.rank1": ("Premier moteur", "Main driver"),
    "summary.rank2": ("Deuxième moteur", "Second driver"),
    "summary.rank_complaint": ("Principal reproche", "Main complaint"),
    "summary.rank_praise": ("Principal motif de satisfaction", "Main praise"),
    "summary.share": ("{change}, {share} de la variation", "{change}, {share} of the change"),
    "summary.driver": (
        "{rank} : {label}, {mentions} ({detail}), {tone}.",
        "{rank}: {label}, {mentions} ({detail}), {tone}.",
    ),
    "summary.driver_example": (
        "{rank} : {label}, {mentions} ({detail}), {tone} — «\u00a0{example}\u00a0» ({author}).",
        "{rank}: {label}, {mentions} ({detail}), {tone} — “{example}” ({author}).",
    ),
    "summary.driver_plain": (
        "{rank} : {label}, {mentions}, {tone}.",
        "{rank}: {label}, {mentions}, {tone}.",
    ),
    "summary.driver_plain_example": (
        "{rank} : {label}, {mentions}, {tone} — «\u00a0{example}\u00a0» ({author}).",
        "{rank}: {label}, {mentions}, {tone} — “{example}” ({author}).",
    ),
    "summary.tone_negative": ("{share} négatives", "{share} negative"),
    "summary.tone_positive": ("{share} positives", "{share} positive"),
    "summary.tone_neutral": ("{share} neutres", "{share} neutral"),
    "summary.tone_unknown": ("sentiment non étiqueté", "sentiment not labelled"),
    "driver.cluster_label": (
        "{n} messages quasi identiques «\u00a0{text}\u00a0»",
        "{n} near-identical posts “{text}”",
    ),
    "action.alert": (
        "À faire : répondre publiquement à l'incident en cours et suivre l'alerte jusqu'au "
        "retour à la normale.",
        "To do: answer the ongoing incident publicly and follow the alert until things are "
        "back to normal.",
    ),
    "action.answer_about": (
        "À faire : traiter les messages négatifs du service client ({n}), en commençant par "
        "ceux sur {label}.",
        "To do: answer the negative customer-service posts ({n}), starting with those about "
        "{label}.",
    ),
    "action.answer": (
        "À faire : traiter les messages négatifs du service client ({n}), listés plus bas.",
        "To do: answer the negative customer-service posts ({n}) listed below.",
    ),
    "action.sentiment": (
        "À faire : le sentiment net a baissé ; lire les messages sur {label} et y répondre.",
        "To do: net sentiment fell; read the posts about {label} and answer them.",
    ),
    "action.praise": (
        "À envisager : relayer ce que les clients saluent ({label}).",
        "To consider: share what customers praise ({label}).",
    ),
    "action.empty": (
        "À vérifier : la requête de la marque et ses sources, si ce silence surprend.",
        "To check: the brand's query and its sources, if this silence is a surprise.",
    ),
    "action.none": ("Rien d'urgent : poursuivre la veille.", "Nothing urgent: keep watching."),
    # Numbers with their noun, singular or plural (Translator.count)
    "unit.day.one": ("{n} jour", "{n} day"),
    "unit.day.many": ("{n} jours", "{n} days"),
    "unit.mention.one": ("{n} mention", "{n} mention"),
    "unit.mention.many": ("{n} mentions", "{n} mentions"),
    "unit.negative.one": ("{n} mention négative", "{n} negative mention"),
    "unit.negative.many": ("{n} mentions négatives", "{n} negative mentions"),
    "unit.post.one": ("{n} message", "{n} post"),
    "unit.post.many": ("{n} messages", "{n} posts"),
    "unit.author.one": ("{n} auteur", "{n} author"),
    "unit.author.many": ("{n} auteurs", "{n} authors"),
    "unit.account.one": ("{n} compte", "{n} account"),
    "unit.account.many": ("{n} comptes", "{n} accounts"),
    "unit.follower.one": ("{n} abonné", "{n} follower"),
    "unit.follower.many": ("{n} abonnés", "{n} followers"),
    "unit.interaction.one": ("{n} interaction", "{n} interaction"),
    "unit.interaction.many": ("{n} interactions", "{n} interactions"),
    "unit.hour.one": ("{n} heure", "{n} hour"),
    "unit.hour.many": ("{n} heures", "{n} hours"),
    "section.drivers": ("Ce qui explique la période", "What drove the period"),
    "drivers.change": ("Ce qui a le plus changé", "What changed most"),
    "drivers.praise": ("Ce que les gens saluent", "What people praise"),
    "drivers.complaints": ("Ce que les gens reprochent", "What people complain about"),
    "drivers.none_change": (
        "Aucun hashtag, compte cité, expression ou message répété n'a nettement bougé.",
        "No hashtag, account named, phrase or repeated post moved markedly.",
    ),
    "drivers.none_praise": ("Aucun sujet d'éloge récurrent.", "No recurring praise."),
    "drivers.none_complaints": ("Aucun reproche récurrent.", "No recurring complaint."),
    "drivers.incomplete": (
        "Comparaison incomplète (une source n'était pas encore collectée au début de la période "
        "précédente) : les évolutions des moteurs se lisent avec prudence.",
        "Incomplete comparison (a source was not collected yet when the previous period "
        "began): read the drivers' changes with care.",
    ),
    "drivers.within_chance": (
        "Le volume a varié de {change} mentions, dans les limites du hasard (±{limit}) : ces "
        "moteurs décrivent la période plus qu'ils n'expliquent un changement.",
        "The volume moved by {change} mentions, within chance (±{limit}): these drivers "
        "describe the period more than they explain a change.",
    ),
    "drivers.how": (
        "Moteurs : hashtags, comptes cités, paires de mots et messages quasi identiques "
        "présents dans au moins 3 mentions de 2 auteurs. Part de la variation : évolution du "
        "moteur / évolution du volume de la marque, quand le moteur a varié dans le même sens "
        "et le volume plus que le hasard ne l'expliquerait (au moins deux écarts types).",
        "Drivers: hashtags, accounts named, word pairs and near-identical posts found in at "
        "least 3 mentions from 2 authors. Share of the change: the driver's change / the "
        "change of the brand's volume, when the driver moved the same way and the volume more "
        "than chance would explain (two standard deviations or more).",
    ),
    "driver.kind.hashtag": ("hashtag", "hashtag"),
    "driver.kind.handle": ("compte", "account"),
    "driver.kind.bigram": ("expression", "phrase"),
    "driver.kind.cluster": ("messages répétés", "repeated posts"),
    "driver.negative": ("{share} négatif", "{share} negative"),
    "driver.positive": ("{share} positif", "{share} positive"),
    "driver.neutral": ("{share} neutre", "{share} neutral"),
    "col.driver": ("Moteur", "Driver"),
    "col.share_of_change": ("Part de la variation", "Share of change"),
    "col.tone": ("Tonalité", "Tone"),
    "col.ratio": ("Rapport", "Ratio"),
    "col.brand_mentions": ("Mentions", "Mentions"),
    "col.excluded": ("Exclues", "Left out"),
    "col.covered_from": ("Couverte depuis", "Covered since"),
    "posts.open_short": ("voir", "open"),
    "posts.own_activity": (
        "Les comptes de la marque ont publié {posts} sur la période (précédente : {previous}), "
        "réponses comprises ; {interactions} reçues.",
        "The brand's own accounts published {posts} in the period (previous: {previous}), "
        "answers included; {interactions} received.",
    ),
    "posts.own": (
        "Publications les plus engageantes de la marque",
        "The brand's most engaging posts",
    ),
    "posts.more_needing": ("… et {n} autres.", "… and {n} more."),
    "contributors.influence_rule": (
        "Influence sur la période (0–100) : audience (abonnés) et engagement reçu sur la "
        "période, pour cette marque. Les comptes sans audience et d'une seule publication, et "
        "les comptes de la marque, ne sont pas classés.",
        "Influence over the period (0–100): audience (followers) and engagement received in "
        "the period, for this brand. Accounts with no audience and a single post, and the "
        "brand's own accounts, are not ranked.",
    ),
    "contributors.no_influencers": (
        "Aucun auteur de la période n'a d'audience ni plus d'une publication.",
        "No author of the period has an audience or more than one post.",
    ),
    "contributors.own": ("Comptes de la marque", "The brand's own accounts"),
    "reason.near_duplicate": (
        "Texte quasi identique : {posts} de {accounts} en {hours}",
        "Nearly identical text: {posts} from {accounts} within {hours}",
    ),
    "reason.burst_new_accounts": (
        "Rafale de comptes récents ou mono-sujet le {day} : {posts}",
        "Burst of new or single-purpose accounts on {day}: {posts}",
    ),
    "reason.review_same_day": (
        "Avis 5 étoiles groupés le {day} : {posts}",
        "Five-star reviews bunched on {day}: {posts}",
    ),
    "define.counted": (
        "Mentions comptées : celles qui citent la marque (sa requête), publiées pendant les "
        "jours locaux de la période ; les mentions suspectes et les publications des comptes "
        "officiels des marques en sont exclues (voir Exclusions).",
        "Counted mentions: those matching the brand's query, published in the period's local "
        "days; suspicious mentions and the posts of the brands' own accounts are left out (see "
        "Exclusions).",
    ),
    # Columns
    "col.measure": ("Indicateur", "Measure"),
    "col.current": ("Période", "Period"),
    "col.previous": ("Précédente", "Previous"),
    "col.change": ("Évolution", "Change"),
    "col.opened": ("Ouverte le", "Opened"),
    "col.severity": ("Gravité", "Severity"),
    "col.status": ("État", "Status"),
    "col.negative": ("Négatives", "Negative"),
    "col.expected": ("Attendues", "Expected"),
    "col.source": ("Source", "Source"),
    "col.mentions": ("Mentions", "Mentions"),
    "col.topic": ("Thématique", "Topic"),
    "col.theme": ("Thème", "Theme"),
    "col.net_change": ("Évolution du sentiment", "Sentiment change"),
    "col.share": ("Part", "Share"),
    "col.study": ("Étude", "Study"),
    "col.previous_share": ("Part précédente", "Previous share"),
    "col.tier": ("Participation", "Participation"),
    "col.authors": ("Auteurs", "Authors"),
    "col.rule": ("Règle 1/9/90", "1/9/90 rule"),
    "col.profile": ("Profil", "Profile"),
    "col.author": ("Auteur", "Author"),
    "col.influence": ("Influence", "Influence"),
    "col.followers": ("Abonnés", "Followers"),
    "col.posts": ("Publications", "Posts"),
    "col.engagement": ("Engagement", "Engagement"),
    "col.brand": ("Marque", "Brand"),
    "col.kind": ("Type", "Kind"),
    "col.last_run": ("Dernière collecte", "Last run"),
    "col.task": ("Tâche", "Task"),
    "col.model": ("Modèle", "Model"),
    "col.version": ("Version", "Version"),
    "col.unsure": ("Dont incertaines", "Of which uncertain"),
    "col.labels": ("Étiquettes", "Labels"),
    "col.reason": ("Raison", "Reason"),
    "col.period": ("Période", "Period"),
    "col.language": ("Langue", "Language"),
    "col.format": ("Format", "Format"),
    "col.created": ("Créé le", "Created"),
    "col.file": ("Fichier", "File"),
    # Headline
    "kpi.volume": ("Volume de mentions", "Volume of mentions"),
    "kpi.authors": ("Auteurs uniques", "Unique authors"),
    "kpi.net_sentiment": ("Sentiment net", "Net sentiment"),
    "kpi.share_of_voice": ("Part de voix", "Share of voice"),
    "kpi.reach": ("Portée (abonnés des auteurs)", "Reach (authors' followers)"),
    "kpi.impressions": ("Impressions (vues)", "Impressions (views)"),
    "kpi.engagement": (
        "Engagement (j'aime, partages, commentaires)",
        "Engagement (likes, shares, comments)",
    ),
    "kpi.engagement_rate": ("Taux d'engagement", "Engagement rate"),
    # The scorecard's short names (the definitions say more)
    "card.volume": ("Mentions", "Mentions"),
    "card.authors": ("Auteurs uniques", "Unique authors"),
    "card.net_sentiment": ("Sentiment net", "Net sentiment"),
    "card.share_of_voice": ("Part de voix", "Share of voice"),
    "card.reach": ("Portée", "Reach"),
    "card.impressions": ("Impressions", "Impressions"),
    "card.engagement": ("Engagement", "Engagement"),
    "card.engagement_rate": ("Taux d'engagement", "Engagement rate"),
    "headline.split": ("Répartition :", "Split:"),
    "headline.incomplete": (
        "Comparaison incomplète : {source} n'est collectée que depuis le {since}, après le "
        "début de la période précédente ; aucune évolution en % n'est donnée pour les nombres.",
        "Incomplete comparison: {source} is collected only since {since}, after the previous "
        "period began; no change in % is given for counts.",
    ),
    "headline.no_reach": (
        "Portée : les sources de la période ne donnent pas le nombre d'abonnés.",
        "Reach: the period's sources do not give follower counts.",
    ),
    "headline.no_views": (
        "Impressions : aucune source de la période ne donne de vues.",
        "Impressions: no source of the period gives views.",
    ),
    "unit.points": ("pts", "pts"),
    "unit.percent": ("\u00a0%", "%"),
    "format.date": ("d MMMM y", "d MMMM y"),
    "format.date_short": ("d MMM y", "d MMM y"),
    "format.moment": ("{day} à {time}", "{day}, {time}"),
    # Volume
    "volume.events": ("Événements notés par l'équipe", "Events the team marked"),
    "volume.alerts": ("Alertes de la période", "Alerts in the period"),
    "volume.no_alerts": ("Aucune alerte sur la période.", "No alert in the period."),
    "volume.no_alerts_since": (
        "Aucune alerte sur la période ; l'alerte en haut de page a été ouverte après.",
        "No alert in the period; the alert at the top of the page was raised after it.",
    ),
    "volume.spikes": ("Pics de volume : {list}.", "Volume spikes: {list}."),
    # Topics
    "topics.reference": (
        "Étude : 1 660 conversations sur les 50 premiers e-commerçants français (Twitter, "
        "Facebook, forums). Parts calculées sur les mentions étiquetées.",
        "Study: 1,660 conversations about the 50 largest French e-merchants (Twitter, Facebook, "
        "forums). Shares among labelled mentions.",
    ),
    "topics.none": (
        "Thématiques pas encore calculées pour cette période (l'étiquetage n'a pas tourné).",
        "Topics not computed for this period yet (labelling has not run).",
    ),
    # Themes
    "themes.note": (
        "Une mention peut relever de plusieurs thèmes, ou d'aucun : {none} de la période "
        "({share}) ne relèvent d'aucun. Parts calculées sur les mentions comptées de la marque.",
        "A mention may be in several themes, or in none: {none} of the period ({share}) are in "
        "none. Shares of the brand's counted mentions.",
    ),
    "themes.defined": (
        "Chaque thème est une requête de l'équipe (« themes » dans veille.yaml) :",
        "Each theme is one of the team's queries (`themes` in veille.yaml):",
    ),
    # Contributors
    "contributors.tiers": (
        "Participation observée (règle 1/9/90)",
        "Observed participation (1/9/90 rule)",
    ),
    "contributors.tiers_rule": (
        "Auteurs de la marque sur la période, classés par nombre de publications : le 1 % le "
        "plus actif (au moins un auteur), s'il a publié deux fois ou plus, est régulier ; "
        "un auteur d'une seule publication est ponctuel ; les autres sont occasionnels. "
        "La règle 1/9/90 compte aussi les lecteurs qui ne publient jamais, invisibles ici.",
        "The brand's authors in the period, ranked by posts: the most active 1% (at least one "
        "author), if they posted twice or more, are regular; a single post makes a one-off "
        "contributor; the others are occasional. The 1/9/90 rule also counts readers who never "
        "post, whom Veille cannot see.",
    ),
    "contributors.profiles": ("Profils des contributeurs", "Contributor profiles"),
    "contributors.not_computed": (
        "Profils des contributeurs pas encore calculés (l'analyse des auteurs n'a pas tourné).",
        "Contributor profiles not computed yet (the authors' analysis has not run).",
    ),
    "contributors.no_profiles": (
        "Aucun auteur de la période n'a de profil.",
        "No author of the period has a profile.",
    ),
    "contributors.influential": ("Auteurs les plus influents", "Most influential authors"),
    "contributors.by_followers": (
        "Scores d'influence pas encore calculés — classement par abonnés puis engagement.",
        "Influence scores not computed yet — ranked by followers, then engagement.",
    ),
    "contributors.suspicious": ("Mentions suspectes", "Suspicious mentions"),
    "contributors.flags_not_computed": (
        "Détection des mentions suspectes pas encore faite (l'analyse des auteurs n'a pas "
        "tourné) : aucune mention n'est exclue.",
        "Suspicious mentions not detected yet (the authors' analysis has not run): no mention "
        "is left out.",
    ),
    "contributors.suspicious_share": (
        "{share} des mentions de la période sont suspectes ({n} sur {total}).",
        "{share} of the period's mentions are suspicious ({n} of {total}).",
    ),
    "contributors.suspicious_previous": (
        "Période précédente : {share} ({change}).",
        "Previous period: {share} ({change}).",
    ),
    # Posts
    "posts.engaging": ("Publications les plus engageantes", "Most engaging posts"),
    "posts.none_engaging": (
        "Aucune publication n'a reçu d'interaction.",
        "No post received any interaction.",
    ),
    "posts.needing_answer": (
        "Négatives à traiter (service client), sans réponse de la marque, les plus récentes "
        "d'abord",
        "Negative posts needing an answer (customer service), not answered by the brand, newest "
        "first",
    ),
    "posts.answered": (
        "La marque a répondu à {answered} sur {asked} (délai médian\u00a0: {delay}).",
        "The brand answered {answered} of {asked} (median delay: {delay}).",
    ),
    "posts.none_answered": (
        "La marque n'a répondu à aucune des {asked} (aucune réponse de ses comptes, "
        "brands[].own_accounts).",
        "The brand answered none of the {asked} (no reply from its accounts, "
        "brands[].own_accounts).",
    ),
    "posts.answered_by_source": (
        "Par source\u00a0: {sources}.",
        "By source: {sources}.",
    ),
    "posts.source_answered": (
        "{source} {answered} sur {asked}",
        "{source} {answered} of {asked}",
    ),
    "posts.all_answered": (
        "Toutes ont reçu une réponse de la marque.",
        "The brand has answered every one of them.",
    ),
    "delay.minutes": ("{m}\u00a0min", "{m} min"),
    "delay.hours": ("{h}\u00a0h\u00a0{m:02d}", "{h} h {m:02d} min"),
    "delay.days": ("{d}\u00a0j\u00a0{h}\u00a0h", "{d} d {h} h"),
    "posts.none_needing": (
        "Aucune mention négative sur le service client.",
        "No negative mention about customer service.",
    ),
    "posts.anonymous": ("auteur inconnu", "unknown author"),
    "posts.interactions": ("{n} interactions", "{n} interactions"),
    "posts.open": ("Voir la publication", "Open the post"),
    "posts.handed_to": ("transmise à {targets}", "handed over to {targets}"),
    "posts.no_link": ("(pas de lien web)", "(no web link)"),
    "competitors.none": (
        "Aucun concurrent n'est configuré pour {brand}.",
        "No competitor is configured for {brand}.",
    ),
    # Method
    "method.sources": ("Sources et dernières collectes", "Sources and their last runs"),
    "method.state.ok": ("ok", "ok"),
    "method.state.failed": ("en échec", "failed"),
    "method.state.silent": ("silencieuse depuis le {since}", "silent since {since}"),
    "method.state.never": ("jamais collectée", "never collected"),
    "method.state.quiet": ("rien sur la période", "nothing in the period"),
    "method.state.later": ("pas encore collectée à cette date", "not yet collected then"),
    "method.sources_note": (
        "Mentions : celles de la marque sur la période, mentions suspectes exclues (colonne "
        "«\u00a0Exclues\u00a0»). Couverte depuis : première publication stockée, ou première "
        "collecte moins la profondeur d'historique pour un site.",
        'Mentions: the brand\'s in the period, suspicious ones left out (column "Left out"). '
        "Covered since: the earliest stored post, or a site's first collection minus its "
        "look-back.",
    ),
    "method.no_sources": ("Aucune source enregistrée.", "No source stored."),
    "method.models": ("Versions des modèles", "Model versions"),
    "method.human": ("correction humaine", "human correction"),
    "method.unsure_note": (
        "Incertaines : étiquettes dont le modèle était peu sûr (score calibré sous le seuil de "
        "revue) ; elles comptent dans les chiffres, et une correction humaine les remplace.",
        "Uncertain: labels the model was unsure of (a calibrated score under the review "
        "threshold); they count in the figures, and a person's correction replaces them.",
    ),
    "method.no_labels": (
        "Aucune étiquette sur la période (l'étiquetage n'a pas tourné).",
        "No label in the period (labelling has not run).",
    ),
    "method.exclusions": ("Exclusions", "Exclusions"),
    "method.not_excluded": (
        "{n} mentions suspectes incluses dans les chiffres (reports.exclude_suspicious: false).",
        "{n} suspicious mentions included in the figures (reports.exclude_suspicious: false).",
    ),
    "method.excluded": (
        "{n} mentions suspectes exclues des chiffres, pour ces raisons :",
        "{n} suspicious mentions left out of the figures, for these reasons:",
    ),
    "method.nothing_excluded": ("Aucune mention suspecte.", "No suspicious mention."),
    "method.off_topic": (
        "Mentions trouvées par la requête de la marque que l'équipe a dites hors sujet (un "
        "homonyme) et qui ne comptent pas : {mentions}.",
        "Mentions the brand's query matched that the team judged off-topic (a homonym) and "
        "that are not counted: {mentions}.",
    ),
    "method.owned_excluded": (
        "Publications des comptes officiels des marques exclues des chiffres, qui comptent ce "
        "que les autres disent de la marque : {posts}. Les plus engageantes de la marque sont "
        "listées à part (« {own} »).",
        "Posts of the brands' own accounts left out of the figures, which count what others "
        "say about the brand: {posts}. The brand's most engaging ones are listed apart "
        "(“{own}”).",
    ),
    "method.owned_counted": (
        "Publications des comptes officiels des marques comptées dans les chiffres "
        "(reports.exclude_own_posts: false) : {posts}.",
        "Posts of the brands' own accounts counted in the figures "
        "(reports.exclude_own_posts: false): {posts}.",
    ),
    "method.definitions": ("Définitions", "Definitions"),
    "define.volume": (
        "Volume : mentions de la marque publiées sur la période.",
        "Volume: the brand's mentions published in the period.",
    ),
    "define.authors": (
        "Auteurs uniques : auteurs distincts de ces mentions.",
        "Unique authors: distinct authors of those mentions.",
    ),
    "define.net_sentiment": (
        "Sentiment net : (positives − négatives) / (positives + négatives).",
        "Net sentiment: (positive − negative) / (positive + negative).",
    ),
    "define.share_of_voice": (
        "Part de voix : mentions de la marque / mentions de la marque et "
        "de ses concurrents configurés.",
        "Share of voice: the brand's mentions / mentions of the brand and "
        "its configured competitors.",
    ),
    "define.reach": (
        "Portée : somme des abonnés des auteurs distincts (audience potentielle).",
        "Reach: sum of the followers of the distinct authors (potential audience).",
    ),
    "define.impressions": (
        "Impressions : vues, là où la source les donne.",
        "Impressions: views, where the source gives them.",
    ),
    "define.engagement": (
        "Engagement : j'aime + partages + commentaires.",
        "Engagement: likes + shares + comments.",
    ),
    "define.engagement_rate": (
        "Taux d'engagement : engagement / portée.",
        "Engagement rate: engagement / reach.",
    ),
    "define.change": (
        "Évolution : par rapport à la période précédente de même durée, en % pour "
        "les nombres, en points pour les parts.",
        "Change: against the previous period of equal length, in % for counts, "
        "in points for shares.",
    ),
    "define.spikes": (
        "Pic : jour (ou heure) au-dessus de la médiane + 3 écarts absolus médians "
        "et au moins deux fois la médiane.",
        "Spike: a day (or hour) above the median + 3 median absolute deviations "
        "and at least twice the median.",
    ),
    # Charts
    "chart.spike": ("pic", "spike"),
    "chart.alert": ("alerte", "alert"),
    "chart.event": ("événement", "event"),
    "chart.event_span": ("durée d'un événement", "an event's span"),
    "chart.mentions": ("mentions", "mentions"),
    "chart.observed": ("observé", "observed"),
    "chart.study": ("étude de référence", "reference study"),
    "chart.period": ("période", "period"),
    "chart.previous": ("période précédente", "previous period"),
    "chart.rule": ("règle 1/9/90", "1/9/90 rule"),
    "title.volume.none": ("Aucune mention sur la période", "No mentions in the period"),
    "title.volume.doubled": (
        "Les mentions négatives ont doublé {when}",
        "Negative mentions doubled {when}",
    ),
    "title.volume.multiplied": (
        "Mentions négatives multipliées par {ratio} {when}",
        "Negative mentions rose {ratio}-fold {when}",
    ),
    "title.volume.plain": ("{n}, pic {when}", "{n}, busiest {when}"),
    "title.volume.event": (" — événement\u00a0: {label}", " — event: {label}"),
    "title.volume.up": (
        "{n}, en hausse de {change} ; pic {when}",
        "{n}, up {change}; busiest {when}",
    ),
    "title.volume.down": (
        "{n}, en baisse de {change} ; pic {when}",
        "{n}, down {change}; busiest {when}",
    ),
    "when.hour": ("à {hour}", "at {hour}"),
    "title.sources.plain": ("Sentiment dans {n} sources", "Sentiment across {n} sources"),
    "title.sources.worst": (
        "{source} : la plus négative des sources d'au moins {min} mentions ({share} de négatif)",
        "{source}: the most negative of the sources with {min} mentions or more ({share} negative)",
    ),
    "title.topics.none": ("Thématiques non calculées", "Topics not computed"),
    "title.topics.gap": (
        "{topic} : {share} des conversations, contre {reference} dans l'étude",
        "{topic}: {share} of the talk, against {reference} in the study",
    ),
    "title.themes.none": (
        "Aucune mention de la marque dans ses thèmes sur les deux périodes",
        "No mention of the brand in its themes in either period",
    ),
    "title.themes.change": (
        "{theme} : {mentions}, {change} par rapport à la période précédente",
        "{theme}: {mentions}, {change} on the previous period",
    ),
    "title.themes.new": (
        "{theme} : {mentions}, aucune sur la période précédente",
        "{theme}: {mentions}, none in the previous period",
    ),
    "title.tiers.none": ("Aucun auteur sur la période", "No author in the period"),
    "title.tiers.one_off": (
        "{share} des auteurs n'ont publié qu'une fois",
        "{share} of authors posted only once",
    ),
    "title.competitors.none": (
        "Aucune conversation sur ces marques sur la période",
        "No talk about these brands in the period",
    ),
    "title.competitors.lead": (
        "{brand} mène la conversation avec {share} de part de voix",
        "{brand} leads the conversation with {share} share of voice",
    ),
    "title.competitors.behind": (
        "{leader} mène avec {leader_share} ; {brand} a {share}",
        "{leader} leads with {leader_share}; {brand} has {share}",
    ),
    # Values (sentiments, topics, tiers, profiles, tasks, flags come from storage.vocab)
    "severity.low": ("faible", "low"),
    "severity.medium": ("moyenne", "medium"),
    "severity.high": ("forte", "high"),
    "severity.critical": ("critique", "critical"),
    "status.open": ("ouverte", "open"),
    "status.closed": ("close", "closed"),
    "status.acknowledged": ("prise en compte", "acknowledged"),
    # Alert e-mails
    "alert.subject": (
        "[Veille] Bad buzz {brand} — {negatives} mentions négatives en 1 h (×{ratio})",
        "[Veille] Bad buzz {brand} — {negatives} negative mentions in 1 h (×{ratio})",
    ),
    "alert.subject_closed": (
        "[Veille] Retour à la normale {brand} — {negatives} mentions négatives en 1 h",
        "[Veille] Back to normal {brand} — {negatives} negative mentions in 1 h",
    ),
    "alert.title": ("Bad buzz : {brand}", "Bad buzz: {brand}"),
    "alert.severity": ("gravité {severity}", "severity {severity}"),
    "alert.numbers": (
        "{negatives} mentions négatives dans la dernière heure, contre {expected} "
        "attendues (×{ratio}).",
        "{negatives} negative mentions in the last hour, against {expected} expected (×{ratio}).",
    ),
    "ratio.about": ("environ {n}", "about {n}"),
    "ratio.below": ("moins de {n}", "fewer than {n}"),
    "alert.totals": (
        "{total} mentions en tout. Score d'anomalie : {score}.",
        "{total} mentions in all. Anomaly score {score}.",
    ),
    "alert.influencer": (
        "Auteur influent : {author} (influence {influence}) sur {source}",
        "Influential author: {author} (influence {influence}) on {source}",
    ),
    "alert.post": ("publication", "post"),
    "alert.fact_kind": ("Type", "Kind"),
    "alert.fact_posts": ("Messages", "Posts"),
    "alert.fact_severity": ("Gravité", "Severity"),
    "alert.fact_negatives": ("Négatives en 1 h", "Negative in 1 h"),
    "alert.fact_expected": ("Attendues", "Expected"),
    "alert.fact_ratio": ("Rapport", "Ratio"),
    "alert.fact_opened": ("Ouverte", "Opened"),
    "alert.fact_closed": ("Terminée", "Ended"),
    "alert.back_title": ("Retour à la normale : {brand}", "Back to normal: {brand}"),
    "alert.back_numbers": (
        "{negatives} mentions négatives dans la dernière heure ({expected} attendues).",
        "{negatives} negative mentions in the last hour ({expected} expected).",
    ),
    "alert.back_episode": (
        "Le bad buzz a commencé le {opened} et s'est terminé le {closed} ; au plus fort, "
        "{peak} mentions négatives en 1 h (×{ratio}).",
        "The bad buzz opened on {opened} and ended on {closed}; at its peak, {peak} negative "
        "mentions in 1 h (×{ratio}).",
    ),
    "alert.back_kind": (
        "L'alerte « {kind} » ouverte le {opened} s'est terminée le {closed} : ce qui l'avait "
        "déclenchée ne se voit plus.",
        "The “{kind}” alert opened on {opened} ended on {closed}: what raised it is no longer "
        "seen.",
    ),
    "alert.chart_alt": (
        "mentions par tranche de {minutes} min, dernières 24 h",
        "mentions per {minutes}-minute bucket, last 24 h",
    ),
    "alert.chart_all": ("toutes les mentions", "all mentions"),
    "alert.chart_negative": ("négatives", "negative"),
    "alert.chart_per": ("par {minutes} min", "per {minutes} min"),
    "alert.engaging": ("Publications les plus engageantes", "Most engaging posts"),
    "alert.influential": (
        "Publications des auteurs les plus influents",
        "Most influential authors' posts",
    ),
    "alert.influence": ("influence {influence}", "influence {influence}"),
    "alert.open": ("ouvrir", "open"),
    # A mention handed over to a helpdesk or CRM (reports/alerts/handoff.py)
    "handoff.title": ("{brand} : mention à traiter", "{brand}: a mention to handle"),
    "handoff.subject": (
        "[Veille] {brand} : mention à traiter de {author} ({source})",
        "[Veille] {brand}: a mention to handle from {author} ({source})",
    ),
    "handoff.by_person": ("Transmise par {by}.", "Handed over by {by}."),
    "handoff.by_rule": (
        "Transmise par la règle n° {rule} (handoff.rules).",
        "Handed over by rule #{rule} (handoff.rules).",
    ),
    "handoff.fact_brand": ("Marque", "Brand"),
    "handoff.fact_sentiment": ("Sentiment", "Sentiment"),
    "handoff.fact_topic": ("Thématique", "Topic"),
    "handoff.fact_themes": ("Thèmes", "Themes"),
    "handoff.fact_note": ("Note", "Note"),
    "handoff.open_post": ("Ouvrir la publication", "Open the post"),
    "handoff.open_workspace": ("Ouvrir dans Veille", "Open in Veille"),
    "handoff.footer": (
        "Envoyé par Veille : répondez depuis votre outil, la mention reste suivie dans Veille.",
        "Sent by Veille: answer from your own tool; the mention stays followed in Veille.",
    ),
    # A mention assigned to a person in the workspace (reports/alerts/assignment.py)
    "assigned.title": ("{brand} : une mention pour vous", "{brand}: a mention for you"),
    "assigned.subject": (
        "[Veille] {by} vous a assigné une mention de {author} ({source})",
        "[Veille] {by} assigned you a mention by {author} ({source})",
    ),
    "assigned.by": (
        "{by} vous a assigné cette mention dans Veille.",
        "{by} assigned you this mention in Veille.",
    ),
    "assigned.many_title": ("{count} mentions pour vous", "{count} mentions for you"),
    "assigned.many_subject": (
        "[Veille] {by} vous a assigné {count} mentions",
        "[Veille] {by} assigned you {count} mentions",
    ),
    "assigned.many_by": (
        "{by} vous a assigné {count} mentions dans Veille ; les premières :",
        "{by} assigned you {count} mentions in Veille; the first of them:",
    ),
    "assigned.open_inbox": ("Vos mentions dans Veille", "Your mentions in Veille"),
    "assigned.footer": (
        "Vous recevez ce message parce qu'une mention vous a été assignée dans Veille.",
        "You get this message because a mention was assigned to you in Veille.",
    ),
    # A saved view's new mentions (web/watches.py, reports/alerts/watch_mail.py)
    "watch.title": ("« {view} » : {count} de plus", "“{view}”: {count} more"),
    "watch.subject": (
        "[Veille] « {view} » : {count} de plus",
        "[Veille] “{view}”: {count} more",
    ),
    "watch.headline": (
        "{count} de plus dans la vue « {view} » depuis le dernier message ; les premières :",
        "{count} more in the view “{view}” since the last message; the first of them:",
    ),
    "watch.open": ("La vue dans Veille", "The view in Veille"),
    "watch.footer": (
        "Vous recevez ce message parce que vous avez demandé à être averti de la vue « {view} »"
        " ; « Ne plus m'avertir » dans la boîte de réception l'arrête.",
        "You get this message because you asked to hear of the view “{view}”; “Stop telling"
        " me” in the inbox stops it.",
    ),
    # Each morning, a person's open mentions (reports/alerts/reminders.py)
    "queue.title": ("Vos mentions ouvertes : {count}", "Your open mentions: {count}"),
    "queue.subject": (
        "[Veille] {count} vous attendent, dont {negative}",
        "[Veille] {count} wait for you, {negative} among them",
    ),
    "queue.headline": (
        "{count} qui vous sont assignées sont encore ouvertes (nouvelles ou en cours), dont"
        " {negative} ; les plus urgentes :",
        "{count} assigned to you are still open (new or in progress), {negative} among them;"
        " the most urgent:",
    ),
    "queue.oldest": ("La plus ancienne", "The oldest"),
    "queue.footer": (
        "Vous recevez ce rappel chaque jour à {at} tant que des mentions vous sont assignées"
        " (web.reminder_at).",
        "You get this reminder each day at {at} while mentions are assigned to you"
        " (web.reminder_at).",
    ),
    "alert.no_post": ("aucune", "none"),
    "alert.terms": ("Termes principaux", "Top terms"),
    "alert.topics": ("Thématiques", "Topics"),
    "alert.sources": ("Sources", "Sources"),
    "alert.none": ("aucun", "none"),
    "punct.colon": ("\u00a0:", ":"),
    "punct.semicolon": ("\u00a0; ", "; "),
    "alert.unknown_author": ("?", "?"),
    "alert.footer": (
        "Alerte n° {id} — ouverte le {opened}. Envoyée par Veille.",
        "Alert #{id} — opened on {opened}. Sent by Veille.",
    ),
    "alert.footer_html": (
        "Alerte n° {id} — ouverte le {opened}. Envoyée par Veille.",
        "Alert #{id} — opened on {opened}. Sent by Veille.",
    ),
    "alert.subject_escalated": (
        "[Veille] Escalade : {brand} — alerte non prise en charge depuis {minutes} min",
        "[Veille] Escalation: {brand} — alert not acknowledged for {minutes} min",
    ),
    "alert.escalated_title": ("Escalade : {brand}", "Escalation: {brand}"),
    "alert.event": (
        "Événement noté par l'équipe\u00a0: {label} ({when}).",
        "Event the team marked: {label} ({when}).",
    ),
    "alert.muted_lead": (
        "Cette alerte, ouverte pendant une mise en sourdine ({reason}, par {by}), est toujours "
        "en cours à la fin de celle-ci, le {until}.",
        "This alert opened during a mute ({reason}, by {by}) and is still going on now that "
        "the mute has ended, {until}.",
    ),
    "alert.escalation_lead": (
        "Personne n'a pris en charge cette alerte depuis {minutes} min : elle vous est transmise.",
        "Nobody has acknowledged this alert for {minutes} min: it is passed on to you.",
    ),
    # What happened, in one sentence: the subject (after "[Veille] ") and the first line.
    "alert.cause.bad_buzz": (
        "{brand} : {negatives} en {window}, ×{ratio} la normale{driver}",
        "{brand}: {negatives} in {window}, ×{ratio} the usual level{driver}",
    ),
    "alert.cause.bad_buzz_new": (
        "{brand} : {negatives} en {window}, contre moins de 1 d'habitude{driver}",
        "{brand}: {negatives} in {window}, against fewer than 1 usually{driver}",
    ),
    "alert.cause.negative_share": (
        "{brand} : {negatives} sur {total} en {window} ({share}, contre {usual} "
        "d'habitude){driver}",
        "{brand}: {negatives} out of {total} in {window} ({share}, against {usual} "
        "usually){driver}",
    ),
    "alert.cause.influential_post": (
        "{brand} : message négatif de {author} ({followers}) sur {source}",
        "{brand}: negative post by {author} ({followers}) on {source}",
    ),
    "alert.cause.watched_author": (
        "{brand} : {author} ({tag}, {followers}) a publié sur {source}",
        "{brand}: {author} ({tag}, {followers}) posted on {source}",
    ),
    "alert.cause.campaign": (
        "{brand} : campagne coordonnée probable ({polarity}), {posts} quasi identiques de "
        "{accounts} en {window}",
        "{brand}: likely coordinated campaign ({polarity}), {posts} nearly identical from "
        "{accounts} in {window}",
    ),
    "alert.cause.rising_term": (
        "{brand} : « {term} » en forte hausse, {mentions} en {window} contre {expected} d'habitude",
        "{brand}: “{term}” rising fast, {mentions} in {window} against {expected} usually",
    ),
    "alert.cause.rising_theme": (
        "{brand} : thème « {theme} » en forte hausse, {mentions} en {window} contre {expected} "
        "à sa part habituelle",
        "{brand}: theme “{theme}” rising fast, {mentions} in {window} against {expected} at its "
        "usual share",
    ),
    "alert.driver": (" — {driver}", " — {driver}"),
    "alert.negposts.one": ("{n} message négatif", "{n} negative post"),
    "alert.negposts.many": ("{n} messages négatifs", "{n} negative posts"),
    "alert.polarity.denigration": ("dénigrement", "denigration"),
    "alert.polarity.praise": ("éloges", "praise"),
    "alert.polarity.mixed": ("ton mitigé", "mixed tone"),
    "alert.window_minutes": ("{n} min", "{n} min"),
    "alert.window_hours": ("{n} h", "{n} h"),
    "alert.subject_kind": ("[Veille] {sentence}", "[Veille] {sentence}"),
    "alert.subject_closed_kind": (
        "[Veille] Fin de l'alerte « {kind} » : {brand}",
        "[Veille] Alert over ({kind}): {brand}",
    ),
    "alert.kind_title": ("{kind} : {brand}", "{kind}: {brand}"),
    "alert.kind_line": (
        "Alerte « {kind} », gravité {severity} ; début de l'épisode le {start} ({zone}).",
        "Alert “{kind}”, severity {severity}; the episode started on {start} ({zone}).",
    ),
    "alert.why.negative_share": (
        "Pourquoi : {share} des {total} sont négatives sur {window}, contre {usual} d'habitude "
        "({days} précédents) ; seuils : {min_negative} au moins, {min_share} de part, ×{jump}.",
        "Why: {share} of {total} are negative over {window}, against {usual} usually (the "
        "previous {days}); thresholds: at least {min_negative}, {min_share} share, ×{jump}.",
    ),
    "alert.why.influential_post": (
        "Pourquoi : {author} a {followers} (influence {influence}) ; le seuil est de "
        "{min_followers} ou d'une influence de {min_influence}.",
        "Why: {author} has {followers} (influence {influence}); the threshold is "
        "{min_followers} or an influence of {min_influence}.",
    ),
    "alert.why.watched_author": (
        "Pourquoi : {author}, étiqueté « {tag} » par l'équipe, {followers}, message {sentiment} :"
        " « {text} »",
        "Why: {author}, tagged “{tag}” by the team, {followers}, a {sentiment} post: “{text}”",
    ),
    "alert.why.campaign": (
        "Pourquoi : {posts} au texte presque identique, publiés par {accounts} différents "
        "en {window} ; par exemple : « {example} »",
        "Why: {posts} with nearly the same text, published by {accounts} in {window}; for "
        "example: “{example}”",
    ),
    "alert.why.rising_term": (
        "Pourquoi : « {term} » apparaît dans {mentions} de {authors} en {window}, contre "
        "{before} en {days} auparavant.",
        "Why: “{term}” appears in {mentions} from {authors} in {window}, against {before} in "
        "the {days} before.",
    ),
    "alert.why.rising_theme": (
        "Pourquoi : le thème « {theme} » fait {share} des {total} de la marque en {window} "
        "({mentions} de {authors}, dont {negatives}), contre {usual} d'habitude ({before} sur "
        "{before_total} en {days} auparavant).",
        "Why: the theme “{theme}” is {share} of the brand's {total} in {window} ({mentions} "
        "from {authors}, {negatives} among them), against {usual} usually ({before} of "
        "{before_total} in the {days} before).",
    ),
    "alert.duplicates": (
        "Quasi-doublons : {dups} sur {total} ({share}).",
        "Near-duplicates: {dups} of {total} ({share}).",
    ),
    "alert.answered": (
        "La marque a répondu à {answered} de ces {total}.",
        "The brand has answered {answered} of these {total}.",
    ),
    "alert.answered_none": (
        "La marque n'a encore répondu à aucun de ces {total}.",
        "The brand has not answered any of these {total} yet.",
    ),
    "alert.campaign_suspected": (
        "Campagne coordonnée suspectée : {posts} quasi identiques de {accounts}.",
        "Coordinated campaign suspected: {posts} nearly identical from {accounts}.",
    ),
    "alert.campaign_none": (
        "Aucune campagne coordonnée repérée.",
        "No coordinated campaign spotted.",
    ),
    "alert.also": (
        "Pendant ce bad buzz : {kinds}.",
        "During this bad buzz: {kinds}.",
    ),
    "alert.drivers": ("Ce qui en est la cause", "What drives it"),
    "alert.driver_kind.hashtag": ("mot-dièse", "hashtag"),
    "alert.driver_kind.handle": ("compte cité", "handle"),
    "alert.driver_kind.bigram": ("expression", "phrase"),
    "alert.driver_kind.cluster": ("messages identiques", "identical posts"),
    "alert.top_posts": ("Messages principaux", "Top posts"),
    "alert.post_meta": ("{followers}, {engagement}", "{followers}, {engagement}"),
    "alert.followers_unknown": ("abonnés inconnus", "followers unknown"),
    "alert.owner": ("Responsable : {owner}.", "Owner: {owner}."),
    "alert.owner_none": (
        "Responsable : personne n'est désigné pour cette marque.",
        "Owner: nobody is named for this brand.",
    ),
    "alert.next": ("Prochaine étape : {step}", "Next step: {step}"),
    "alert.next.bad_buzz": (
        "vérifier la cause avec le service client et préparer une réponse publique si elle se "
        "confirme.",
        "check the cause with customer service and prepare a public answer if it is confirmed.",
    ),
    "alert.next.negative_share": (
        "lire les messages négatifs ci-dessous et répondre à ceux qui attendent une réponse.",
        "read the negative posts below and answer those waiting for an answer.",
    ),
    "alert.next.influential_post": (
        "répondre vite à l'auteur, en public ou en privé, avant que le message ne circule.",
        "answer the author quickly, in public or in private, before the post spreads.",
    ),
    "alert.next.campaign": (
        "signaler les comptes à la plateforme et répondre une fois, publiquement, plutôt "
        "que message par message.",
        "report the accounts to the platform and answer once, publicly, rather than post by post.",
    ),
    "alert.next.campaign_praise": (
        "vérifier que ces éloges ne viennent pas d'un partenaire ou d'une agence (règles de "
        "transparence).",
        "check that this praise does not come from a partner or an agency (disclosure rules).",
    ),
    "alert.next.rising_term": (
        "voir ce que recouvre le terme dans les messages ci-dessous et prévenir l'équipe "
        "concernée.",
        "see what the term is about in the posts below and tell the team concerned.",
    ),
    "alert.next.watched_author": (
        "lire son message et décider avec qui de droit s'il faut lui répondre.",
        "read the post and decide with whoever is in charge whether to answer it.",
    ),
    "alert.next.rising_theme": (
        "voir dans les messages ci-dessous ce qui fait parler du thème et prévenir l'équipe "
        "qui en a la charge.",
        "see in the posts below what makes the theme talked about and tell the team in charge "
        "of it.",
    ),
    "alert.report": ("Dernier rapport : {url}", "Latest report: {url}"),
    "alert.report_link": ("Dernier rapport", "Latest report"),
    "digest.workspace_link": ("Les alertes dans Veille", "The alerts in Veille"),
    "alert.workspace_link": (
        "Ouvrir l'alerte dans Veille (prendre en charge, résoudre)",
        "Open the alert in Veille (acknowledge, resolve)",
    ),
    "alert.workspace": (
        "Prendre en charge ou résoudre l'alerte : {url}",
        "Acknowledge or resolve the alert: {url}",
    ),
    "report_mail.subject": (
        "[Veille] {brand} : rapport e-réputation {when}",
        "[Veille] {brand}: e-reputation report {when}",
    ),
    "report_mail.title": (
        "{brand} : rapport e-réputation {when}",
        "{brand}: e-reputation report {when}",
    ),
    "report_mail.day": ("du {day}", "for {day}"),
    "report_mail.range": ("du {first} au {last}", "for {first} to {last}"),
    "report_mail.open": ("Le rapport complet", "The whole report"),
    "report_mail.attached": (
        "Le rapport est joint ({files}). Envoyé par Veille.",
        "The report is attached ({files}). Sent by Veille.",
    ),
    "digest.alerts.one": ("{n} alerte", "{n} alert"),
    "digest.alerts.many": ("{n} alertes", "{n} alerts"),
    "digest.subject": ("[Veille] Résumé du {day} : {alerts}", "[Veille] Digest of {day}: {alerts}"),
    "digest.title": ("Résumé des alertes du {day}", "Alert digest of {day}"),
    "digest.headline": (
        "{alerts} de moindre gravité, réunies ici plutôt qu'envoyées une à une.",
        "{alerts} of lower severity, gathered here instead of sent one by one.",
    ),
    "digest.line": (
        "{brand} — gravité {severity} — ouverte le {opened} : {negatives} en 1 h ({expected} "
        "attendues, ×{ratio})",
        "{brand} — severity {severity} — opened on {opened}: {negatives} in 1 h ({expected} "
        "expected, ×{ratio})",
    ),
    "digest.line_kind": (
        "{brand} — gravité {severity} — ouverte le {opened} — {kind} : {cause}",
        "{brand} — severity {severity} — opened on {opened} — {kind}: {cause}",
    ),
    "alert.cause_sep": (" : ", ": "),
    "digest.negatives.one": ("{n} mention négative", "{n} negative mention"),
    "digest.negatives.many": ("{n} mentions négatives", "{n} negative mentions"),
    "digest.footer": ("Alertes n° {ids}. Envoyé par Veille.", "Alerts #{ids}. Sent by Veille."),
    # Index page
    "index.title": ("Rapports d'e-réputation", "E-reputation reports"),
    "index.intro": (
        "Tous les rapports générés, les plus récents d'abord.",
        "Every report generated, newest first.",
    ),
    "index.none": ("Aucun rapport pour l'instant.", "No report yet."),
}

_M.update(
    {f"{group}.{value}": pair for group, names in NAMES.items() for value, pair in names.items()}
)

MESSAGES: dict[str, dict[str, str]] = {k: {"fr": fr, "en": en} for k, (fr, en) in _M.items()}
