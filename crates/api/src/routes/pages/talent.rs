//! `/talent`: the talent map, the shortage ratings and exposure to generative AI, read-only,
//! as the report lays them out (its sentences, charts and tables in the page's language).

use axum::extract::State as AxumState;
use axum::response::Response;
use maud::html;

use super::layout;
use super::{Ctx, PageError, render, snapshot};
use crate::State;

pub(crate) async fn page(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let snapshot = snapshot::today(&state)
        .await
        .map_err(|error| ctx.error(error))?;
    let lang = ctx.lang;
    let heading = lang.pick(
        "人才需求及生成式人工智能",
        "Talent demand and generative AI",
    );
    let sections = [
        (
            "talent",
            lang.pick(
                "行業人才需求地圖及人手短缺評級",
                "Talent map and shortage ratings",
            ),
        ),
        (
            "ai",
            lang.pick(
                "生成式人工智能對職業的影響",
                "Generative AI and occupations",
            ),
        ),
    ];
    let content = html! {
        h1 { (heading) }
        nav.toc aria-label=(lang.pick("本頁內容", "On this page")) {
            @for (id, title) in &sections { a href=(format!("#{id}")) { (title) } " " }
        }
        @for (id, title) in &sections {
            section aria-labelledby=(id) {
                h2 id=(id) { (title) }
                @if let Some(section) = snapshot.section(lang, id) { (layout::report_section(section)) }
            }
        }
    };
    Ok(render(&ctx, &heading, &content))
}
