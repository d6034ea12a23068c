# ruff: noqa: E501  (markup templates read best one element per line)
"""Render invented forums in each engine's markup (FORMATS.md), plus feeds and review pages.

One content model (forums → threads → posts) rendered as phpBB 3 prosilver, vBulletin 4,
XenForo 2, Discourse JSON or a home-made forum (for the generic spider). Used to write the
test fixture sites (`tests/fixtures/sites/build.py`), the demo sites and the benchmark forum.
Files are named for `veille_demo.server` (`viewtopic.php?t=3` → `viewtopic.php__t=3`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


@dataclass
class Post:
    id: int
    author: str
    at: datetime
    body: str  # HTML
    user_id: int = 1
    author_posts: int = 1
    quote: tuple[str, str] | None = None  # (quoted author, quoted text)
    quote_id: int | None = None  # the quoted post's id, where the quote names it (phpBB 3.2+)
    signature: str | None = None
    likes: int = 0


@dataclass
class Thread:
    id: int
    title: str
    posts: list[Post]
    sticky: bool = False
    prefix: str = ""  # e.g. "/delay/0.5" or "/status/500": how listings link to it

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def last_at(self) -> datetime:
        return max(p.at for p in self.posts)


@dataclass
class Forum:
    id: int
    title: str
    threads: list[Thread] = field(default_factory=list)

    def listing(self) -> list[Thread]:
        """Stickies first, then the most recently active first (as forums list them)."""
        return sorted(self.threads, key=lambda t: (not t.sticky, -t.last_at.timestamp()))


@dataclass
class Site:
    title: str
    forums: list[Forum]
    now: datetime  # the site's clock: relative dates ("Hier à…") count from it
    threads_per_page: int = 3
    posts_per_page: int = 10
    disallowed_forum: Forum | None = None  # listed, but robots.txt forbids it


def slugify(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "sujet"


def pages(items: list[Thread] | list[Post], size: int) -> list[list]:  # type: ignore[type-arg]
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def french_date(at: datetime, now: datetime | None = None) -> str:
    """How French forums show a date: relative when recent, else 'lun. 12 mars 2012 14:05'."""
    local = at.astimezone(PARIS)
    if now is not None:
        today = now.astimezone(PARIS).date()
        if local.date() == today:
            return f"Aujourd'hui, {local:%Hh%M}"
        if local.date() == today - timedelta(days=1):
            return f"Hier à {local:%H:%M}"
    return (
        f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"
    )


def numeric_date(at: datetime) -> str:
    local = at.astimezone(PARIS)
    return f'{local:%d/%m/%Y}, <span class="time">{local:%Hh%M}</span>'


def body_html(post: Post, quote_tpl: str) -> str:
    quote = quote_tpl.format(a=escape(post.quote[0]), q=escape(post.quote[1])) if post.quote else ""
    return quote + post.body


def page(title: str, body: str, head: str = "", html_attrs: str = "", body_attrs: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html {html_attrs} lang="fr">\n<head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{head}</head>\n<body {body_attrs}>\n{body}\n</body></html>\n"
    )


# -- phpBB 3 prosilver ---------------------------------------------------------------------
def render_phpbb(site: Site, mount: str) -> dict[str, str]:
    files: dict[str, str] = {}
    head = '<meta name="copyright" content="phpBB Limited">'
    forums = site.forums + ([site.disallowed_forum] if site.disallowed_forum else [])
    rows = "".join(
        f'<li class="row"><dl><dt><a href="{mount}/viewforum.php?f={f.id}" class="forumtitle">'
        f"{escape(f.title)}</a></dt></dl></li>"
        for f in forums
    )
    files["index.php"] = page(
        site.title,
        f'<ul class="topiclist forums">{rows}</ul>',
        head,
        body_attrs='id="phpbb" class="section-index"',
    )
    for forum in forums:
        chunks = pages(forum.listing(), site.threads_per_page)
        for n, chunk in enumerate(chunks):
            items = []
            for t in chunk:
                cls = "row sticky" if t.sticky else "row"
                last = t.last_at.astimezone(PARIS)
                items.append(
                    f'<li class="{cls}"><dl class="row-item"><dt><div class="list-inner">'
                    f'<a href="{t.prefix}{mount}/viewtopic.php?t={t.id}" class="topictitle">'
                    f"{escape(t.title)}</a></div></dt>"
                    f'<dd class="posts">{len(t.posts) - 1} <dfn>Réponses</dfn></dd>'
                    f'<dd class="lastpost"><span><dfn>Dernier message </dfn>par '
                    f'<a class="username">{escape(t.posts[-1].author)}</a><br>'
                    f'<time datetime="{last.isoformat()}">{french_date(last)}</time></span></dd>'
                    f"</dl></li>"
                )
            nav = _phpbb_pagination(
                f"{mount}/viewforum.php?f={forum.id}", n, len(chunks), site.threads_per_page
            )
            body = (
                f'<h2 class="forum-title">{escape(forum.title)}</h2>{nav}'
                f'<ul class="topiclist topics">{"".join(items)}</ul>{nav}'
            )
            name = f"viewforum.php__f={forum.id}" + (
                f"&start={n * site.threads_per_page}" if n else ""
            )
            files[name] = page(forum.title, body, head, body_attrs='id="phpbb"')
            for t in chunk:
                files.update(_phpbb_thread(site, t, mount, head))
    return files


def _phpbb_pagination(base: str, n: int, total: int, size: int) -> str:
    if total <= 1:
        return ""
    items = "".join(
        f'<li class="active"><span>{i + 1}</span></li>'
        if i == n
        else f'<li><a class="button" href="{base}&amp;start={i * size}">{i + 1}</a></li>'
        for i in range(total)
    )
    if n + 1 < total:
        items += (
            f'<li class="arrow next"><a class="button button-icon-only" '
            f'href="{base}&amp;start={(n + 1) * size}" rel="next">Suivant</a></li>'
        )
    return f'<div class="pagination"><ul>{items}</ul></div>'


def _phpbb_quote(p: Post) -> str:
    """A quote as phpBB writes it: 3.2+ names the quoted post (`cite`, `data-post-id`)."""
    if p.quote_id is None:
        return "<blockquote><div><cite>{a} a écrit :</cite>{q}</div></blockquote>"
    link = f"./viewtopic.php?p={p.quote_id}#p{p.quote_id}"
    return (
        f'<blockquote cite="{link}"><div><cite><a class="username">{{a}}</a> a écrit : '
        f'<a href="{link}" aria-label="Voir le message cité" data-post-id="{p.quote_id}">↑</a>'
        "</cite>{q}</div></blockquote>"
    )


def _phpbb_thread(site: Site, t: Thread, mount: str, head: str) -> dict[str, str]:
    files = {}
    chunks = pages(t.posts, site.posts_per_page)
    for n, chunk in enumerate(chunks):
        posts = []
        for p in chunk:
            at = p.at.astimezone(PARIS)
            sig = (
                f'<div id="sig{p.id}" class="signature">{p.signature}</div>' if p.signature else ""
            )
            posts.append(
                f'<div id="p{p.id}" class="post has-profile bg2"><div class="inner">'
                f'<dl class="postprofile" id="profile{p.id}"><dt class="has-profile-rank">'
                f'<a href="./memberlist.php?mode=viewprofile&amp;u={p.user_id}" class="username">'
                f"{escape(p.author)}</a></dt>"
                f'<dd class="profile-posts"><strong>Messages :</strong> '
                f'<a href="./search.php?author_id={p.user_id}&amp;sr=posts">{p.author_posts}</a></dd>'
                f'</dl><div class="postbody"><div id="post_content{p.id}">'
                f'<h3><a href="#p{p.id}">Re: {escape(t.title)}</a></h3>'
                f'<p class="author"><a class="unread" href="./viewtopic.php?p={p.id}#p{p.id}">'
                f'<span class="imageset icon_post_target"></span></a><span class="responsive-hide">'
                f'par <strong><a class="username">{escape(p.author)}</a></strong> » </span>'
                f'<time datetime="{at.isoformat()}">{french_date(at)}</time></p>'
                f'<div class="content">'
                f"{body_html(p, _phpbb_quote(p))}"
                f"</div>{sig}</div></div></div></div>"
            )
        nav = _phpbb_pagination(
            f"{mount}/viewtopic.php?t={t.id}", n, len(chunks), site.posts_per_page
        )
        body = (
            f'<h2 class="topic-title"><a href="{mount}/viewtopic.php?t={t.id}">'
            f"{escape(t.title)}</a></h2>{nav}{''.join(posts)}{nav}"
        )
        name = f"viewtopic.php__t={t.id}" + (f"&start={n * site.posts_per_page}" if n else "")
        files[name] = page(t.title, body, head, body_attrs='id="phpbb" class="section-viewtopic"')
    return files


# -- vBulletin 4 ---------------------------------------------------------------------------
def render_vbulletin(site: Site, mount: str) -> dict[str, str]:
    files: dict[str, str] = {}
    attrs = 'id="vbulletin_html"'
    head = '<meta name="generator" content="vBulletin 4.2.5">'
    links = "".join(
        f'<li class="forumbit_post"><h2 class="forumtitle">'
        f'<a href="{mount}/forumdisplay.php?f={f.id}">{escape(f.title)}</a></h2></li>'
        for f in site.forums
    )
    files["index.php"] = page(site.title, f'<ol id="forums">{links}</ol>', head, attrs)
    for forum in site.forums:
        chunks = pages(forum.listing(), site.threads_per_page)
        for n, chunk in enumerate(chunks):
            items = []
            for t in chunk:
                cls = "threadbit sticky" if t.sticky else "threadbit"
                items.append(
                    f'<li class="{cls}" id="thread_{t.id}"><div class="threadinfo"><h3 class="threadtitle">'
                    f'<a class="title" href="{t.prefix}{mount}/showthread.php?t={t.id}">{escape(t.title)}</a>'
                    f'</h3></div><ul class="threadstats td alt"><li>Réponses: {len(t.posts) - 1}</li>'
                    f"<li>Affichages: {len(t.posts) * 37}</li></ul>"
                    f'<dl class="threadlastpost td"><dt class="lastpostby hidden">Dernier message</dt>'
                    f'<dd><a href="member.php?u={t.posts[-1].user_id}"><strong>{escape(t.posts[-1].author)}'
                    f"</strong></a></dd><dd>{numeric_date(t.last_at)}</dd></dl></li>"
                )
            nav = _vb_nav(f"{mount}/forumdisplay.php?f={forum.id}", n, len(chunks))
            files[f"forumdisplay.php__f={forum.id}" + (f"&page={n + 1}" if n else "")] = page(
                forum.title,
                f'{nav}<ol id="threads" class="threads">{"".join(items)}</ol>',
                head,
                attrs,
            )
            for t in chunk:
                files.update(_vb_thread(site, t, mount, head, attrs))
    return files


def _vb_nav(base: str, n: int, total: int) -> str:
    if n + 1 >= total:
        return '<div class="pagenav"></div>'
    return (
        f'<div class="pagenav"><span class="prev_next"><a rel="next" '
        f'href="{base}&amp;page={n + 2}">&gt;</a></span></div>'
    )


def _vb_thread(site: Site, t: Thread, mount: str, head: str, attrs: str) -> dict[str, str]:
    files = {}
    chunks = pages(t.posts, site.posts_per_page)
    quote = (
        '<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container">'
        '<div class="bbcode_postedby">Posté par <strong>{a}</strong></div>'
        '<div class="message">{q}</div></div></div></div>'
    )
    for n, chunk in enumerate(chunks):
        posts = []
        for p in chunk:
            sig = (
                f'<blockquote class="signature restore"><div class="signaturecontainer">'
                f"{p.signature}</div></blockquote>"
                if p.signature
                else ""
            )
            posts.append(
                f'<li class="postbitlegacy postbitim postcontainer" id="post_{p.id}">'
                f'<div class="posthead"><span class="postdate old"><span class="date">{numeric_date(p.at)}'
                f'</span></span><span class="nodecontrols"><a name="post{p.id}" href="{mount}/showthread.php?'
                f'p={p.id}#post{p.id}" class="postcounter">#{p.id}</a></span></div>'
                f'<div class="postdetails"><div class="userinfo"><div class="username_container">'
                f'<a class="username offline" href="{mount}/member.php?u={p.user_id}"><strong>'
                f'{escape(p.author)}</strong></a></div><dl class="userinfo_extra"><dt>Inscription</dt>'
                f"<dd>janv. 2010</dd><dt>Messages</dt><dd>{p.author_posts:,}</dd></dl></div>"
                f'<div class="postbody"><div class="postrow"><div class="content">'
                f'<div id="post_message_{p.id}"><blockquote class="postcontent restore ">'
                f"{body_html(p, quote)}</blockquote></div></div>{sig}</div></div></div></li>"
            )
        nav = _vb_nav(f"{mount}/showthread.php?t={t.id}", n, len(chunks))
        body = (
            f'<span class="threadtitle"><a href="{mount}/showthread.php?t={t.id}">'
            f'{escape(t.title)}</a></span>{nav}<ol id="posts" class="posts">{"".join(posts)}</ol>'
        )
        files[f"showthread.php__t={t.id}" + (f"&page={n + 1}" if n else "")] = page(
            t.title, body, head, attrs
        )
    return files


# -- XenForo 2 -----------------------------------------------------------------------------
def render_xenforo(site: Site, mount: str) -> dict[str, str]:
    files: dict[str, str] = {}
    attrs = 'id="XF" data-app="public"'
    nodes = "".join(
        f'<div class="node node--forum"><h3 class="node-title">'
        f'<a href="{mount}/forums/{slugify(f.title)}.{f.id}/">{escape(f.title)}</a></h3></div>'
        for f in site.forums
    )
    files["index.html"] = page(site.title, f'<div class="block-body">{nodes}</div>', "", attrs)
    for forum in site.forums:
        base = f"{mount}/forums/{slugify(forum.title)}.{forum.id}/"
        chunks = pages(forum.listing(), site.threads_per_page)
        for n, chunk in enumerate(chunks):
            items = []
            for t in chunk:
                cls = "structItem structItem--thread" + (" structItem--sticky" if t.sticky else "")
                last = t.last_at.astimezone(PARIS)
                items.append(
                    f'<div class="{cls} js-inlineModContainer"><div class="structItem-cell structItem-cell--main">'
                    f'<div class="structItem-title"><a href="{t.prefix}{mount}/threads/{t.slug}.{t.id}/" '
                    f'data-tp-primary="on">{escape(t.title)}</a></div></div>'
                    f'<div class="structItem-cell structItem-cell--meta"><dl class="pairs pairs--justified">'
                    f"<dt>Réponses</dt><dd>{len(t.posts) - 1}</dd></dl></div>"
                    f'<div class="structItem-cell structItem-cell--latest"><a href="#">'
                    f'<time class="structItem-latestDate u-dt" dir="auto" datetime="{last.isoformat()}" '
                    f'data-time="{int(last.timestamp())}">{french_date(last, site.now)}</time></a></div></div>'
                )
            nav = _xf_nav(base, n, len(chunks))
            files[base.removeprefix(mount + "/") + (f"page-{n + 1}" if n else "index.html")] = page(
                forum.title,
                f'{nav}<div class="structItemContainer">{"".join(items)}</div>',
                "",
                attrs,
            )
            for t in chunk:
                files.update(_xf_thread(site, t, mount, attrs))
    return files


def _xf_nav(base: str, n: int, total: int) -> str:
    items = "".join(
        f'<li class="pageNav-page{" pageNav-page--current" if i == n else ""}">'
        f'<a href="{base}{f"page-{i + 1}" if i else ""}">{i + 1}</a></li>'
        for i in range(total)
    )
    nxt = (
        f'<a href="{base}page-{n + 2}" class="pageNav-jump pageNav-jump--next">Suivant</a>'
        if n + 1 < total
        else ""
    )
    return f'<nav class="pageNavWrapper"><div class="pageNav"><ul class="pageNav-main">{items}</ul>{nxt}</div></nav>'


def _xf_thread(site: Site, t: Thread, mount: str, attrs: str) -> dict[str, str]:
    files = {}
    base = f"{mount}/threads/{t.slug}.{t.id}/"
    chunks = pages(t.posts, site.posts_per_page)
    quote = (
        '<blockquote class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote js-expandWatch">'
        '<div class="bbCodeBlock-title">{a} a dit :</div><div class="bbCodeBlock-content">'
        '<div class="bbCodeBlock-expandContent js-expandContent">{q}</div></div></blockquote>'
    )
    for n, chunk in enumerate(chunks):
        posts = []
        for p in chunk:
            at = p.at.astimezone(PARIS)
            sig = (
                f'<aside class="message-signature"><div class="bbWrapper">{p.signature}</div></aside>'
                if p.signature
                else ""
            )
            likes = (
                f'<div class="reactionsBar"><a class="reactionsBar-link"><bdi>{p.likes}</bdi> personnes'
                f"</a></div>"
                if p.likes
                else ""
            )
            posts.append(
                f'<article class="message message--post js-post" data-author="{escape(p.author)}" '
                f'data-content="post-{p.id}" id="js-post-{p.id}"><div class="message-inner">'
                f'<div class="message-cell message-cell--user"><section class="message-user">'
                f'<h4 class="message-name"><a href="{mount}/members/{slugify(p.author)}.{p.user_id}/" '
                f'class="username" data-user-id="{p.user_id}">{escape(p.author)}</a></h4>'
                f'<div class="message-userExtras"><dl class="pairs pairs--justified"><dt>Messages</dt>'
                f"<dd>{p.author_posts:,}</dd></dl></div></section></div>"
                f'<div class="message-cell message-cell--main"><header class="message-attribution">'
                f'<ul class="message-attribution-main listInline"><li class="u-concealed">'
                f'<a href="{base}post-{p.id}" rel="nofollow"><time class="u-dt" datetime="{at.isoformat()}" '
                f'data-time="{int(at.timestamp())}">{french_date(at, site.now)}</time></a></li></ul></header>'
                f'<div class="message-content js-messageContent"><div class="message-userContent lbContainer">'
                f'<article class="message-body js-selectToQuote"><div class="bbWrapper">{body_html(p, quote)}'
                f"</div></article></div>{sig}</div>{likes}</div></div></article>"
            )
        nav = _xf_nav(base, n, len(chunks))
        body = (
            f'<div class="p-title"><h1 class="p-title-value">{escape(t.title)}</h1></div>'
            f'{nav}<div class="block-body js-replyNewMessageContainer">{"".join(posts)}</div>'
        )
        name = base.removeprefix(mount + "/") + (f"page-{n + 1}" if n else "index.html")
        files[name] = page(t.title, body, "", attrs)
    return files


# -- Discourse (JSON API) ------------------------------------------------------------------
def render_discourse(
    site: Site, mount: str, per_listing: int = 30, first_batch: int = 20
) -> dict[str, str]:
    files: dict[str, str] = {}
    threads = sorted(
        (t for f in site.forums for t in f.threads), key=lambda t: -t.last_at.timestamp()
    )
    chunks = pages(threads, per_listing)
    for n, chunk in enumerate(chunks):
        topics = [
            {
                "id": t.id,
                "title": t.title,
                "slug": t.slug,
                "posts_count": len(t.posts),
                "reply_count": len(t.posts) - 1,
                "created_at": _z(t.posts[0].at),
                "last_posted_at": _z(t.last_at),
                "bumped_at": _z(t.last_at),
                "pinned": t.sticky,
                "views": len(t.posts) * 41,
                "like_count": sum(p.likes for p in t.posts),
                "category_id": 1,
                "tags": [],
                "posters": [],
            }
            for t in chunk
        ]
        listing: dict[str, object] = {
            "users": [],
            "topic_list": {"per_page": per_listing, "topics": topics},
        }
        if n + 1 < len(chunks):
            listing["topic_list"]["more_topics_url"] = f"{mount}/latest?page={n + 1}"  # type: ignore[index]
        files["latest.json" + (f"__page={n}" if n else "")] = json.dumps(
            listing, ensure_ascii=False
        )
    for t in threads:
        posts = [
            {
                "id": p.id,
                "username": slugify(p.author),
                "name": p.author,
                "user_id": p.user_id,
                "created_at": _z(p.at),
                "updated_at": _z(p.at),
                "post_number": i + 1,
                "reply_to_post_number": None,
                "reply_count": 0,
                "quote_count": 1 if p.quote else 0,
                "reads": 12,
                "score": 1.5,
                "topic_id": t.id,
                "topic_slug": t.slug,
                "trust_level": 1,
                "hidden": False,
                "deleted_at": None,
                "cooked": body_html(
                    p,
                    '<aside class="quote no-group" data-username="{a}"><div class="title">'
                    "{a}:</div><blockquote><p>{q}</p></blockquote></aside>",
                ),
                "actions_summary": [{"id": 2, "count": p.likes}] if p.likes else [],
            }
            for i, p in enumerate(t.posts)
        ]
        topic = {
            "id": t.id,
            "title": t.title,
            "slug": t.slug,
            "posts_count": len(posts),
            "created_at": _z(t.posts[0].at),
            "last_posted_at": _z(t.last_at),
            "post_stream": {"posts": posts[:first_batch], "stream": [p["id"] for p in posts]},
        }
        files[f"t/{t.id}.json__include_raw=true"] = json.dumps(topic, ensure_ascii=False)
        files[f"t/{t.id}/posts_all.json"] = json.dumps(posts, ensure_ascii=False)
    files["index.html"] = page(
        site.title,
        "<div id='main-outlet'></div>",
        '<meta name="generator" content="Discourse 3.2.0 - https://github.com/discourse/discourse">',
    )
    return files


def _z(at: datetime) -> str:
    return at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# -- a home-made forum (generic spider) ----------------------------------------------------
def render_generic(site: Site, mount: str) -> dict[str, str]:
    files: dict[str, str] = {}
    threads = [t for f in site.forums for t in f.listing()]
    chunks = pages(threads, site.threads_per_page)
    for n, chunk in enumerate(chunks):
        links = "".join(
            f'<li><a class="sujet" href="{t.prefix}{mount}/sujet-{t.id}.html">{escape(t.title)}</a></li>'
            for t in chunk
        )
        nxt = (
            f'<a class="suivant" href="{mount}/liste-{n + 2}.html">Page suivante</a>'
            if n + 1 < len(chunks)
            else ""
        )
        files["index.html" if n == 0 else f"liste-{n + 1}.html"] = page(
            site.title, f"<ul>{links}</ul>{nxt}"
        )
        for t in chunk:
            posts_chunks = pages(t.posts, site.posts_per_page)
            for m, posts in enumerate(posts_chunks):
                items = "".join(
                    f'<div class="message" id="msg-{p.id}"><div class="entete"><span class="pseudo">'
                    f'{escape(p.author)}</span> <span class="quand">Posté le {p.at.astimezone(PARIS):%d/%m/%Y à %H:%M}'
                    f'</span></div><div class="texte">{body_html(p, "<div class=citation><b>{a}</b> {q}</div>")}</div>'
                    f"{f'<div class=signature>{p.signature}</div>' if p.signature else ''}</div>"
                    for p in posts
                )
                nxt = (
                    f'<a class="suivant" href="{mount}/sujet-{t.id}-{m + 2}.html">Suivante</a>'
                    if m + 1 < len(posts_chunks)
                    else ""
                )
                name = f"sujet-{t.id}.html" if m == 0 else f"sujet-{t.id}-{m + 1}.html"
                files[name] = page(t.title, f"<h1>{escape(t.title)}</h1>{items}{nxt}")
    return files


RENDERERS = {
    "phpbb": render_phpbb,
    "vbulletin": render_vbulletin,
    "xenforo": render_xenforo,
    "discourse": render_discourse,
    "generic": render_generic,
}
