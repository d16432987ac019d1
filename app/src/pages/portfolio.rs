//! `/` — every project with its overall RAG, CPI, SPI(t) and a link to its latest report.

use leptos::prelude::*;
use leptos_meta::Title;

use super::awaited;
use crate::components::{format, Layout, RagBadge};
use crate::services::PortfolioRow;

#[component]
pub fn PortfolioPage() -> impl IntoView {
    view! {
        <Layout>
            <Title text="Portfolio" />
            <header class="page-header">
                <h1>"Portfolio"</h1>
                <p class="lede">"Every project's status at its latest month, and its latest report."</p>
            </header>
            {awaited(|ctx| async move {
                let rows = ctx.services.portfolio().await?;
                Ok(view! { <PortfolioTable rows /> }.into_any())
            })}
        </Layout>
    }
}

#[component]
fn PortfolioTable(rows: Vec<PortfolioRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No projects yet. Import one with " <code>"pmr import FILE.json"</code> "."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data portfolio">
                <caption class="visually-hidden">"Projects"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Project"</th>
                        <th scope="col">"Manager"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"CPI"</th>
                        <th scope="col" class="num">"SPI(t)"</th>
                        <th scope="col" class="num">"BAC"</th>
                        <th scope="col">"Latest report"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! { <PortfolioRowView row=r /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn PortfolioRowView(row: PortfolioRow) -> impl IntoView {
    let href = format!("/projects/{}", row.id);
    let report = match row.latest_report {
        Some(r) => view! { <a href=format!("/reports/{}", r.id)>{format!("{} report", r.period)}</a> }.into_any(),
        None => view! { <span class="muted">"none yet"</span> }.into_any(),
    };
    view! {
        <tr data-project=row.id.to_string()>
            <th scope="row">
                <a href=href>{row.name}</a>
                <span class="code">{row.code}</span>
            </th>
            <td>{row.manager}</td>
            <td><RagBadge rag=row.overall /></td>
            <td class="num">{format::ratio(row.cpi)}</td>
            <td class="num">{format::ratio(row.spi_t)}</td>
            <td class="num">{format::money(row.bac, &row.currency)}</td>
            <td>{report}</td>
        </tr>
    }
}
