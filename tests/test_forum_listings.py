"""Listing pages of the engines added by issue 15 (SMF, MyBB, Invision, NodeBB): the threads a
crawl follows, with their last activity, replies and pinned ones, in each engine's markup
(written for the project from the engines' public templates; no server needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from scrapy.http import HtmlResponse

from crawlers.engines import detect_engine, html_engine

CONTEXT: dict[str, Any] = {
    "timezone": "Europe/Paris",
    "now": datetime(2024, 3, 15, 11, tzinfo=UTC),
    "remove": (),
}

SMF = """<html><head><script>var smf_scripturl = "https://www.forum-exemple.fr/index.php";</script>
</head><body><div id="messageindex"><table class="table_grid" cellspacing="0"><tbody>
<tr>
  <td class="icon1 stickybg"><img src="x.gif" alt="" /></td>
  <td class="subject stickybg2"><div><span id="msg_10"><a href="https://www.forum-exemple.fr/index.php?topic=3.0">Règles du forum</a></span></div></td>
  <td class="stats stickybg">0 Réponses<br />900 Vues</td>
  <td class="lastpost stickybg2"><a href="#"><img src="last_post.gif" alt="Dernier message" /></a>
    02 janvier 2024 à 10:00:00<br />par <a href="#">Modérateur</a></td>
</tr>
<tr>
  <td class="icon1 windowbg"><img src="x.gif" alt="" /></td>
  <td class="subject windowbg2"><div><span id="msg_8801"><a href="https://www.forum-exemple.fr/index.php?topic=412.0">SAV Rivéo : retour d'expérience</a></span>
    <p>Démarré par <a href="#">Karim.D</a></p></div></td>
  <td class="stats windowbg">22 Réponses<br />341 Vues</td>
  <td class="lastpost windowbg2"><a href="#"><img src="last_post.gif" alt="Dernier message" /></a>
    14 mars 2024 à 09:12:45<br />par <a href="#">sophie.l</a></td>
</tr>
</tbody></table></div>
<div class="pagelinks floatleft">Pages: [<strong>1</strong>] <a class="navPages" href="https://www.forum-exemple.fr/index.php?board=3.20">2</a></div>
</body></html>"""

MYBB = """<html lang="fr"><head><script src="https://forum.example.org/jscripts/general.js?ver=1827"></script></head><body>
<table class="tborder clear"><tr class="inline_row">
  <td class="trow1 forumdisplay_regular"><span class="thread_status newfolder">&nbsp;</span></td>
  <td class="trow1 forumdisplay_regular"><div><span> <span class=" subject_new" id="tid_57"><a href="showthread.php?tid=57">Quelle coque pour la Nova 10 ?</a></span></span></div></td>
  <td align="center" class="trow1 forumdisplay_regular"><a href="javascript:MyBB.whoPosted(57);">5</a></td>
  <td align="center" class="trow1 forumdisplay_regular">120</td>
  <td class="trow1 forumdisplay_regular"><span class="lastpost smalltext"><span title="15/03/2024">Aujourd'hui</span>, 09:12<br />
    <a href="showthread.php?tid=57&amp;action=lastpost">Dernier message</a>: <a href="#">Karim.D</a></span></td>
</tr><tr class="inline_row">
  <td class="trow2 forumdisplay_regular"><span class="thread_status folder">&nbsp;</span></td>
  <td class="trow2 forumdisplay_regular"><div><span> <span class=" subject_old" id="tid_41"><a href="showthread.php?tid=41">Livraison Maxishop</a></span></span></div></td>
  <td align="center" class="trow2 forumdisplay_regular"><a href="javascript:MyBB.whoPosted(41);">2</a></td>
  <td align="center" class="trow2 forumdisplay_regular">40</td>
  <td class="trow2 forumdisplay_regular"><span class="lastpost smalltext">02/03/2024, 18:40<br />
    <a href="showthread.php?tid=41&amp;action=lastpost">Dernier message</a>: <a href="#">marc75</a></span></td>
</tr></table>
<div class="pagination"><span class="pages">Pages (2):</span> <span class="pagination_current">1</span>
<a href="forumdisplay.php?fid=2&amp;page=2" class="pagination_next">Suivant &raquo;</a></div>
<span id="copyright">Powered By <a href="https://mybb.com">MyBB</a></span></body></html>"""

IPS4 = """<html lang="en-US"><body class="ipsApp ipsApp_front"><ol class="ipsDataList">
<li class="ipsDataItem ipsDataItem_responsivePhoto" data-rowID="2201" data-location="" data-controller="forums.front.forum.topicRow">
  <div class="ipsDataItem_main"><h4 class="ipsDataItem_title ipsContained_container"><span class="ipsType_break ipsContained">
    <a href="https://community.example.com/topic/2201-store-discount/" title="Store gave me a discount"><span>Store gave me a discount</span></a></span></h4></div>
  <ul class="ipsDataItem_lastPoster ipsDataItem_withPhoto ipsType_blendLinks">
    <li><a href="#">kestrel</a></li>
    <li class="ipsType_light"><a href="#" title="Go to last post"><time datetime="2024-02-11T12:00:00Z" title="02/11/2024 12:00  PM" data-short="1 yr">February 11, 2024</time></a></li>
  </ul>
</li></ol>
<ul class="ipsPagination"><li class="ipsPagination_next"><a href="https://community.example.com/forum/3-shops/page/2/" rel="next" data-page="2">Next</a></li></ul>
</body></html>"""

NODEBB = """<html lang="en-US"><head><link rel="next" href="/category/2/general?page=2" /></head><body>
<ul component="category" class="topic-list" itemscope itemtype="http://www.schema.org/ItemList" data-nextstart="20" data-set="cid:2:tids">
<li component="category/topic" class="row clearfix category-item pinned" data-tid="12" data-index="0" data-cid="2">
  <div class="col-md-6 content"><h2 component="topic/header" class="title"><a href="/topic/12/rules" itemprop="url">Rules</a></h2></div>
  <div class="teaser" component="topic/teaser"><p><a class="permalink" href="/topic/12/rules/1"><span class="timeago" title="2023-01-05T10:00:00.000Z"></span></a></p></div>
</li>
<li component="category/topic" class="row clearfix category-item unread" data-tid="13803" data-index="1" data-cid="2">
  <div class="col-md-6 content"><h2 component="topic/header" class="title"><a href="/topic/13803/old-stylus" itemprop="url">Old stylus on the new tablet</a></h2></div>
  <div class="teaser" component="topic/teaser"><p><a class="permalink" href="/topic/13803/old-stylus/7"><span class="timeago" title="2024-03-26T10:02:00.000Z"></span></a></p></div>
</li></ul></body></html>"""

CASES = {
    # engine: (page, url, [(thread id, title, last post UTC, replies, sticky)], next listing)
    "smf": (SMF, "https://www.forum-exemple.fr/index.php?board=3.0", [
        ("3", "Règles du forum", datetime(2024, 1, 2, 9, tzinfo=UTC), 0, True),
        ("412", "SAV Rivéo : retour d'expérience", datetime(2024, 3, 14, 8, 12, 45, tzinfo=UTC),
         22, False),
    ], "https://www.forum-exemple.fr/index.php?board=3.20"),
    "mybb": (MYBB, "https://forum.example.org/forumdisplay.php?fid=2", [
        ("57", "Quelle coque pour la Nova 10 ?", datetime(2024, 3, 15, 8, 12, tzinfo=UTC), 5, False),
        ("41", "Livraison Maxishop", datetime(2024, 3, 2, 17, 40, tzinfo=UTC), 2, False),
    ], "forumdisplay.php?fid=2&page=2"),
    "invision": (IPS4, "https://community.example.com/forum/3-shops/", [
        ("2201", "Store gave me a discount", datetime(2024, 2, 11, 12, tzinfo=UTC), None, False),
    ], "https://community.example.com/forum/3-shops/page/2/"),
    "nodebb": (NODEBB, "https://community.example.org/category/2/general", [
        ("12", "Rules", datetime(2023, 1, 5, 10, tzinfo=UTC), None, True),
        ("13803", "Old stylus on the new tablet", datetime(2024, 3, 26, 10, 2, tzinfo=UTC), None,
         False),
    ], "/category/2/general?page=2"),
}  # fmt: skip


@pytest.mark.parametrize("engine", sorted(CASES))
def test_listing_rows(engine: str) -> None:
    page, url, expected, next_listing = CASES[engine]
    response = HtmlResponse(url, body=page.encode(), encoding="utf-8")
    assert detect_engine(response) == engine
    parser = html_engine(engine)
    rows = parser.thread_rows(response, CONTEXT)
    assert [(r.thread_id, r.title, r.last_post_at, r.replies, r.sticky) for r in rows] == expected
    assert all(r.url.startswith("http") for r in rows)
    assert parser.next_listing(response) == next_listing
    assert parser.posts(response, CONTEXT) == []  # a listing is not a thread page
