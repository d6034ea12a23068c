"""Labels to check: the model's labels whose calibrated score is under `nlp.review_below`,
widest reach first, then lowest score (the web form of `veille label --review`). Each is
confirmed or corrected in one click: a person's label wins over any model, leaves the list and
feeds the next `veille train topic|sentiment` (its training data, or the held-out labels that
measure it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from storage.vocab import MENTION_TASKS, values_of
from web.app import Ctx, page

# Labels shown at once: each correction takes a look at the text, so a page is a session's work.
LIMIT = 100
# The tasks whose labels can be corrected here (a language has no fixed list of values).
TASKS = tuple(task for task in MENTION_TASKS if values_of(task))


def filters(params: Mapping[str, str], brands: list[str]) -> dict[str, str]:
    """The page's filters (brand, task), each kept only when it is one of the choices."""
    brand = params.get("brand") or ""
    task = params.get("task") or ""
    return {
        "brand": brand if brand in brands else "",
        "task": task if task in TASKS else "",
    }


def url(values: dict[str, str]) -> str:
    kept = {k: v for k, v in values.items() if v}
    return "/review" + ("?" + urlencode(kept) if kept else "")


@page("viewer")
def review(ctx: Ctx) -> Response:
    from storage.labels import count_to_review, labels_to_review

    brands = ctx.brands
    chosen = filters(ctx.params, brands)
    brand = chosen["brand"] or None
    tasks = [chosen["task"]] if chosen["task"] else TASKS
    items = labels_to_review(ctx.ws.engine, brand=brand, limit=LIMIT, tasks=tasks,
                             scope=ctx.scope)  # fmt: skip
    if ctx.scope is not None:  # each with the brands the person sees
        items = [replace(i, brands=tuple(b for b in i.brands if ctx.sees(b))) for i in items]
    return ctx.render(
        "review.html",
        items=items,
        total=count_to_review(ctx.ws.engine, brand=brand, tasks=tasks, scope=ctx.scope),
        limit=LIMIT,
        brands=brands,
        tasks=TASKS,
        choices={task: values_of(task) for task in TASKS},
        chosen=chosen,
        back=urlencode({"from": "review", **{k: v for k, v in chosen.items() if v}}),
        threshold=ctx.ws.settings.nlp.review_below,
    )


ROUTES = [Route("/review", review, methods=["GET"])]
