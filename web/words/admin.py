"""The words of the workspace's admin pages (web/words/__init__.py says how)."""

WORDS: dict[str, tuple[str, str]] = {
    "users.language": ("Langue", "Language"),
    "users.language_default": ("celle de l'espace ({language})", "the workspace's ({language})"),
    "login.stale": (
        "Le formulaire de connexion a expiré : rechargez-le.",
        "The login form is stale: reload it.",
    ),
    # Signing in (shown before anyone signs in: in the workspace's language)
    "login.title": ("Connexion", "Sign in"),
    "login.heading": ("Veille\u00a0: connexion", "Veille: sign in"),
    "login.name": ("Identifiant", "Name"),
    "login.password": ("Mot de passe", "Password"),
    "login.submit": ("Se connecter", "Sign in"),
    "login.throttled": (
        "Trop de tentatives échouées\u00a0: réessayez dans {n}\u00a0s.",
        "Too many failed attempts: try again in {n} s.",
    ),
    "login.wrong": ("Identifiant ou mot de passe incorrect.", "Wrong name or password."),
    # The accounts
    "users.title": ("Utilisateurs", "Users"),
    "users.audit_log": ("Journal d'audit", "Audit log"),
    "users.name": ("Nom", "Name"),
    "users.role": ("Rôle", "Role"),
    "users.email_column": (
        "E-mail (mentions qui lui sont assignées)",
        "E-mail (mentions assigned to them)",
    ),
    "users.created": ("Créé ({zone})", "Created ({zone})"),
    "users.password_changed": ("Mot de passe modifié", "Password changed"),
    "users.email_of": ("e-mail de {name}", "e-mail of {name}"),
    "users.role_of": ("rôle de {name}", "role of {name}"),
    "users.brands": ("Marques visibles", "Brands seen"),
    "users.every_brand": ("toutes", "every brand"),
    "users.brands_hint": (
        "Marques visibles (aucune cochée\u00a0: toutes)",
        "Brands seen (none checked: every brand)",
    ),
    "users.brands_help": (
        "Une personne qui ne voit que certaines marques (le client d'une agence, l'équipe d'une"
        " marque) n'en voit que les mentions, alertes, événements, rapports et contributeurs,"
        " sur chaque page, export et message\u00a0; l'atelier des requêtes et les sources, qui"
        " lisent tout l'espace, lui sont fermés. Une personne administratrice voit toutes les"
        " marques.",
        "A person who sees some brands only (an agency's client, a brand's own team) sees their"
        " mentions, alerts, events, reports and contributors only, on every page, export and"
        " message; the query workbench and the sources, which read the whole workspace, are"
        " closed to them. An admin sees every brand.",
    ),
    "audit.export": (
        "Tout le journal en CSV (heures UTC)",
        "The whole log as CSV (times in UTC)",
    ),
    "users.no_email": ("aucun", "none"),
    "users.save": ("Enregistrer", "Save"),
    "users.confirm_remove": ("Supprimer ce compte\u00a0?", "Remove this account?"),
    "users.add_heading": ("Ajouter un compte", "Add an account"),
    "users.password": ("Mot de passe", "Password"),
    "users.email_optional": ("E-mail (facultatif)", "E-mail (optional)"),
    "users.email_hint": (
        "pour être prévenu des mentions qui lui sont assignées",
        "hears of the mentions assigned to them",
    ),
    "users.add": ("Ajouter", "Add"),
    "users.bad_name": (
        "un nom doit compter de 1 à 100 caractères imprimables",
        "a name is 1 to 100 printable characters",
    ),
    "users.last_admin": (
        "le dernier administrateur ne peut pas être supprimé",
        "the last admin cannot be removed",
    ),
    # A refusal from the accounts' store (its text is shared with the command line and
    # stays English): framed in French, as it is in English.
    "account.title": ("Mon compte", "My account"),
    "account.who": ("{name}, {role}.", "{name}, {role}."),
    "account.token": (
        "Un jeton d'API n'a pas de compte\u00a0: il lit ce qu'un lecteur lit.",
        "An API token has no account: it reads what a viewer reads.",
    ),
    "account.password": ("Mot de passe", "Password"),
    "account.current": ("Mot de passe actuel", "Current password"),
    "account.new": ("Nouveau mot de passe", "New password"),
    "account.confirm": ("Le nouveau, encore", "The new one again"),
    "account.change": ("Changer le mot de passe", "Change the password"),
    "account.password_help": (
        "{n} caractères au moins. Les autres navigateurs où ce compte est connecté seront"
        " déconnectés\u00a0; celui-ci reste connecté.",
        "At least {n} characters. The other browsers where this account is signed in are"
        " signed out; this one stays signed in.",
    ),
    "account.changed": ("Mot de passe changé.", "Password changed."),
    "account.wrong_current": (
        "Le mot de passe actuel n'est pas le bon.",
        "The current password is wrong.",
    ),
    "account.mismatch": (
        "Les deux nouveaux mots de passe diffèrent.",
        "The two new passwords differ.",
    ),
    "account.too_short": (
        "Un mot de passe compte {n} caractères au moins.",
        "A password has {n} characters at least.",
    ),
    "account.email": ("E-mail", "E-mail"),
    "account.watched": (
        "Les vues dont vous recevez les nouvelles mentions",
        "The views whose new mentions you receive",
    ),
    "account.stop_watching": ("ne plus m'avertir", "stop telling me"),
    "account.none_watched": (
        "Aucune : la cloche 🔕 à côté d'une vue de la boîte de réception vous en avertit.",
        "None: the bell 🔕 beside a view of the inbox tells you of its new mentions.",
    ),
    "account.email_help": (
        "L'adresse où vous arrivent les mentions qu'on vous assigne (vide\u00a0: aucune).",
        "Where the mentions assigned to you reach you (empty: nowhere).",
    ),
    "users.new_password": ("nouveau mot de passe", "new password"),
    "users.new_password_of": ("nouveau mot de passe de {name}", "new password of {name}"),
    "users.reset": ("Remplacer", "Replace"),
    "users.refused": ("Refusé\u00a0: {reason}", "{reason}"),
    # The audit log (its actions, targets and details are data, shown as stored)
    "audit.title": ("Journal d'audit", "Audit log"),
    "audit.who": ("Qui", "Who"),
    "audit.what": ("Action", "What"),
    "audit.on": ("Objet", "On"),
    "audit.detail": ("Détail", "Detail"),
    "audit.from": ("Provenance", "From"),
    "audit.nothing": ("Rien pour l'instant.", "Nothing yet."),
    # Two-step sign-in (web/two_factor.py)
    "login.code_help": (
        "Saisissez le code à six chiffres de votre application d'authentification.",
        "Type the six-digit code of your authenticator app.",
    ),
    "login.wrong_code": ("Code incorrect ou déjà utilisé.", "Wrong code, or used already."),
    "login.code_stale": (
        "L'étape du code a expiré (5 minutes)\u00a0: reconnectez-vous.",
        "The code step expired (5 minutes): sign in again.",
    ),
    "two_factor.title": ("Connexion en deux étapes", "Two-step sign-in"),
    "two_factor.on": (
        "Activée\u00a0: après le mot de passe, un code de votre application d'authentification.",
        "On: after the password, a code of your authenticator app.",
    ),
    "two_factor.off": (
        "Désactivée\u00a0: le mot de passe seul suffit. Activez-la pour qu'un mot de passe volé"
        " ne suffise pas.",
        "Off: the password alone signs in. Turn it on so that a stolen password is not enough.",
    ),
    "two_factor.turn_on": ("Activer", "Turn on"),
    "two_factor.turn_off": ("Désactiver", "Turn off"),
    "two_factor.scan": (
        "Scannez ce code avec votre application d'authentification (Aegis, FreeOTP, Google"
        " Authenticator, Microsoft Authenticator…), puis saisissez le code qu'elle affiche.",
        "Scan this code with your authenticator app (Aegis, FreeOTP, Google Authenticator,"
        " Microsoft Authenticator…), then type the code it shows.",
    ),
    "two_factor.qr_alt": (
        "QR code de la clé de votre application d'authentification",
        "QR code of your authenticator app's key",
    ),
    "two_factor.or_type": ("Ou saisissez la clé\u00a0:", "Or type the key:"),
    "two_factor.code": ("Code", "Code"),
    "two_factor.confirm": ("Confirmer", "Confirm"),
    "two_factor.wrong_code": (
        "Ce code n'est pas le bon (ou a déjà servi)\u00a0: saisissez le code affiché maintenant.",
        "That code is wrong (or was used): type the code shown now.",
    ),
    "two_factor.throttled": (
        "Trop de codes incorrects\u00a0: réessayez dans un quart d'heure.",
        "Too many wrong codes: try again in a quarter of an hour.",
    ),
    "two_factor.required": (
        "Votre équipe exige la connexion en deux étapes\u00a0: activez-la ici avant toute"
        " autre page.",
        "Your team requires two-step sign-in: turn it on here before any other page.",
    ),
    "two_factor.short_on": ("activée", "on"),
    "two_factor.short_off": ("non", "off"),
    "two_factor.reset": ("Désactiver", "Turn off"),
    "two_factor.confirm_reset": (
        "Désactiver la connexion en deux étapes de ce compte (téléphone perdu)\u00a0?",
        "Turn this account's two-step sign-in off (a lost phone)?",
    ),
}
