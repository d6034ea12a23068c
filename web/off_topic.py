"""A mention judged not about a brand its query matched, and put back (storage/dismissals.py):
from its page, or for the checked mentions of the inbox. A mention then about no brand is
closed: nothing of it is left to follow."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.responses import Response
from starlette.routing import Route

from storage.dismissals import Dismissed
from web.app import Ctx, page


def take_off(ctx: Ctx, ids: Sequence[int], brand: str, bulk: bool = False) -> Dismissed:
    """Take the mentions off `brand`, close those now about none, and say so in their
    histories: one audit entry (`off_topic`, or `bulk_off_topic` naming every mention)."""
    from storage.audit import record
    from storage.dismissals import dismiss
    from storage.inbox import set_triage

    if not ctx.sees(brand) or not brand:  # another brand's (storage.scope): not theirs
        return Dismissed([], [])
    with ctx.ws.engine.begin() as conn:
        done = dismiss(conn, ids, brand, ctx.user.name)
        if done.about_none:
            set_triage(conn, done.about_none, ctx.user.name, status="closed")
        if done.ids:
            detail = {"brand": brand, "closed": done.about_none}
            if bulk:
                each = [f"mention:{i}" for i in done.ids]
                record(conn, ctx.user.name, "bulk_off_topic", None, {**detail, "ids": done.ids},
                       ctx.address, targets=each)  # fmt: skip
            else:
                record(conn, ctx.user.name, "off_topic", f"mention:{done.ids[0]}",
                       {"brand": brand, "closed": bool(done.about_none)}, ctx.address)  # fmt: skip
    return done


def _refused(ctx: Ctx, brand: str, why: str) -> Response:
    return ctx.render(
        "error.html", status=400, title=ctx.t("mention.not_about"), message=ctx.t(why, brand=brand)
    )


@page("analyst")
def off_topic(ctx: Ctx) -> Response:
    """The mention is not about this brand (its query caught a homonym); with `alike=1`, nor
    are the posts alike it."""
    from web.mentions import back_to, unseen

    mention_id = int(ctx.request.path_params["mention_id"])
    if (refused := unseen(ctx, mention_id)) is not None:
        return refused
    brand = ctx.field("brand")
    ids = [mention_id]
    if ctx.field("alike") == "1":  # and the posts alike it (a storm of copies of one homonym)
        from storage.alike import group_of

        with ctx.ws.engine.connect() as conn:
            ids = group_of(conn, mention_id)
    done = take_off(ctx, ids, brand, bulk=len(ids) > 1)
    if mention_id not in done.ids:
        return _refused(ctx, brand, "mention.not_linked")
    return back_to(ctx, mention_id)


def put_back(ctx: Ctx, ids: Sequence[int], brand: str, bulk: bool = False) -> list[int]:
    """Undo: these mentions are about `brand` after all; their links return as they were
    (their status stays). One audit entry (`on_topic`, or `bulk_on_topic` naming each)."""
    from storage.audit import record
    from storage.dismissals import restore

    if not ctx.sees(brand) or not brand:  # another brand's (storage.scope): not theirs
        return []
    with ctx.ws.engine.begin() as conn:
        back = restore(conn, ids, brand)
        if back and bulk:
            record(conn, ctx.user.name, "bulk_on_topic", None, {"brand": brand, "ids": back},
                   ctx.address, targets=[f"mention:{i}" for i in back])  # fmt: skip
        elif back:
            record(conn, ctx.user.name, "on_topic", f"mention:{back[0]}", {"brand": brand},
                   ctx.address)  # fmt: skip
    return back


@page("analyst")
def on_topic(ctx: Ctx) -> Response:
    """Undo: the mention is about this brand after all; its link returns as it was."""
    from web.mentions import back_to, unseen

    mention_id = int(ctx.request.path_params["mention_id"])
    if (refused := unseen(ctx, mention_id)) is not None:
        return refused
    brand = ctx.field("brand")
    if not put_back(ctx, [mention_id], brand):
        return _refused(ctx, brand, "mention.not_taken_off")
    return back_to(ctx, mention_id)


ROUTES = [
    Route("/mentions/{mention_id:int}/off-topic", off_topic, methods=["POST"]),
    Route("/mentions/{mention_id:int}/on-topic", on_topic, methods=["POST"]),
]
