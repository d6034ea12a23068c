"""The workspace's frame (top bar, errors, labels' pills) and the words its pages share
(web/words/__init__.py says how)."""

WORDS: dict[str, tuple[str, str]] = {
    # The top bar
    "nav.inbox": ("Boîte de réception", "Inbox"),
    "nav.alerts": ("Alertes", "Alerts"),
    "nav.dashboard": ("Tableau de bord", "Dashboard"),
    "nav.events": ("Événements", "Events"),
    "nav.review": ("À vérifier", "To review"),
    "nav.authors": ("Contributeurs", "Contributors"),
    "nav.reports": ("Rapports", "Reports"),
    "nav.sources": ("Sources", "Sources"),
    "nav.queries": ("Requêtes", "Queries"),
    "nav.admin": ("Administration", "Admin"),
    "nav.waiting_alerts": (
        "alertes ouvertes que personne n'a encore prises en charge",
        "open alerts nobody has taken on yet",
    ),
    "nav.zone": ("heures : {zone}", "times: {zone}"),
    "nav.sign_out": ("Se déconnecter", "Sign out"),
    "nav.language.fr": ("Pages en français", "Pages in French"),
    "nav.language.en": ("Pages en anglais", "Pages in English"),
    "role.viewer": ("lecteur", "viewer"),
    "role.analyst": ("analyste", "analyst"),
    "role.admin": ("administrateur", "admin"),
    "language.fr": ("français", "French"),
    "language.en": ("anglais", "English"),
    "language.unknown": (
        "« {language} » n'est pas une langue de Veille (fr, en).",
        "“{language}” is not one of Veille's languages (fr, en).",
    ),
    # Errors every page may show
    "error.back": ("Retour à la boîte de réception", "Back to the inbox"),
    "error.not_allowed": ("Non autorisé", "Not allowed"),
    # An account that sees some brands only (storage.scope)
    "scope.not_yours": (
        "Votre compte ne voit que certaines marques\u00a0: ceci concerne une autre marque,"
        " ou toutes.",
        "Your account sees some brands only: this is about another brand, or every brand.",
    ),
    "scope.every_brand_page": (
        "Cette page lit tout l'espace (toutes les marques)\u00a0: elle est réservée aux"
        " comptes qui voient toutes les marques. Votre compte voit\u00a0: {brands}.",
        "This page reads the whole workspace (every brand): it is for the accounts that see"
        " every brand. Yours sees: {brands}.",
    ),
    "scope.you_see": ("Marques visibles\u00a0: {brands}", "Brands you see: {brands}"),
    "error.needs_role": (
        "Il faut le rôle {role} ; vous êtes {you}.",
        "This needs the {role} role; you are {you}.",
    ),
    "error.not_done": ("Non fait", "Not done"),
    "error.sign_in": ("Connectez-vous d'abord.", "Sign in first."),
    "error.stale_form": (
        "Le jeton de sécurité du formulaire manque ou a expiré : rechargez la page.",
        "The form's security token is missing or stale: reload the page.",
    ),
    # A label's pill
    "label.by_person": ("posé par une personne", "set by a person"),
    "label.score": ("score {score}", "score {score}"),
    # Where a message stands (storage.deliveries' statuses; "waiting": due after its target's
    # quiet hours; "none": nothing to send; "muted": held by a mute), on every page that says
    "delivery.pending": ("en attente", "pending"),
    "delivery.waiting": ("différé", "waiting"),
    "delivery.sending": ("en cours d'envoi", "sending"),
    "delivery.sent": ("envoyé", "sent"),
    "delivery.failed": ("en échec", "failed"),
    "delivery.unconfirmed": ("non confirmé", "unconfirmed"),
    "delivery.cancelled": ("annulé", "cancelled"),
    "delivery.none": ("aucun", "none"),
    "delivery.muted": ("en sourdine", "muted"),
    # Words the pages' filters, tables and forms share
    "common.all": ("tous", "all"),
    "common.anyone": ("tout le monde", "anyone"),
    "common.nobody": ("personne", "nobody"),
    "common.me": ("moi", "me"),
    "common.every_brand": ("toutes les marques", "every brand"),
    "common.brand": ("Marque", "Brand"),
    "common.source": ("Source", "Source"),
    "common.sentiment": ("Sentiment", "Sentiment"),
    "common.topic": ("Thématique", "Topic"),
    "common.profile": ("Profil", "Profile"),
    "common.theme": ("Thème", "Theme"),
    "common.period": ("Période", "Period"),
    "common.status": ("Statut", "Status"),
    "common.assignee": ("Responsable", "Assignee"),
    "common.author": ("Auteur", "Author"),
    "common.reach": ("Portée", "Reach"),
    "common.kind": ("Type", "Kind"),
    "common.filter": ("Filtrer", "Filter"),
    "common.remove": ("Supprimer", "Remove"),
    "common.when_zone": ("Quand ({zone})", "When ({zone})"),
    "common.last_days": ("{n} derniers jours", "last {n} days"),
    "common.all_time": ("depuis le début", "all time"),
}
