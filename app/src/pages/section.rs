//! `/reports/{id}/sections/{section}` — one section on its own page, rendered on the
//! server: where the lazy placeholders link to when JavaScript is off. Editors can edit a
//! custom section's Markdown here.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;

use super::{awaited, param, query};
use crate::components::{Breadcrumbs, Layout};
use crate::domain::{ReportId, SectionId};
use crate::dto::SectionKind;
use crate::error::AppError;
use crate::islands::live::EditSection;
use crate::policy::Action;
use crate::sections::body_class;
use crate::services::SectionView;

#[component]
pub fn SectionPage() -> impl IntoView {
    let (id, section) = (param("id"), param("section"));
    let error = query("error");
    view! {
        <Layout>
            {awaited(move |ctx| async move {
                let not_found = || AppError::NotFound(format!("section {section:?} of report {id:?}"));
                let report = ReportId::parse(&id).map_err(|_| not_found())?;
                let section_id = SectionId::parse(&section).map_err(|_| not_found())?;
                let view = ctx.services.section(&report, &section_id).await?;
                let can_edit = view.section.kind == SectionKind::Custom
                    && !view.outline.status.is_frozen()
                    && ctx.principal.may(Action::EditSection);
                Ok(view! { <SectionBody view can_edit error /> }.into_any())
            })}
        </Layout>
    }
}

#[component]
fn SectionBody(view: SectionView, can_edit: bool, error: Option<String>) -> impl IntoView {
    let SectionView {
        outline,
        section,
        html,
        markdown,
    } = view;
    view! {
        <Title text=format!("{} — {}", section.title, outline.title) />
        <Breadcrumbs items=vec![
            ("Portfolio".into(), Some("/".into())),
            (outline.project_name.clone(), Some(format!("/projects/{}", outline.project_id))),
            (outline.title.clone(), Some(format!("/reports/{}", outline.id))),
            (section.title.clone(), None),
        ] />
        <article class=format!("report-section standalone kind-{}", section.kind)>
            <h1>{section.title.clone()}</h1>
            <p class="meta">"Section version " {section.version}</p>
            <div class=body_class(&section) inner_html=html></div>
        </article>
        {error.map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        {(can_edit)
            .then(|| {
                view! {
                    <form class="panel edit-form" method="post" action=EditSection::PATH>
                        <h2>"Edit this section"</h2>
                        <input type="hidden" name="report_id" value=outline.id.to_string() />
                        <input type="hidden" name="section_id" value=section.id.to_string() />
                        <input type="hidden" name="base_version" value=section.version.to_string() />
                        <label for="content">"Markdown"</label>
                        <textarea id="content" name="content" rows="14">{markdown.unwrap_or_default()}</textarea>
                        <button type="submit" class="button primary">"Save"</button>
                    </form>
                }
            })}
    }
}
