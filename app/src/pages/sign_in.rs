//! `/sign-in` — exchange an API token for a browser session. The form posts to the
//! server's `/auth/sign-in`, which sets the session cookie.

use leptos::prelude::*;
use leptos_meta::Title;

use super::query;
use crate::components::Layout;

#[component]
pub fn SignInPage() -> impl IntoView {
    let error = query("error");
    let next = query("next").filter(|n| crate::url::safe_next(n).is_some());
    view! {
        <Layout>
            <Title text="Sign in" />
            <section class="panel sign-in">
                <h1>"Sign in"</h1>
                <p>"Paste the API token an administrator gave you. It is exchanged for a session cookie and not stored in the browser."</p>
                {error.map(|e| view! { <p class="alert" role="alert">{e}</p> })}
                <form method="post" action="/auth/sign-in">
                    <input type="hidden" name="next" value=next.unwrap_or_else(|| "/".into()) />
                    <label for="token">"Token"</label>
                    <input id="token" name="token" type="password" autocomplete="off" required />
                    <button type="submit" class="button primary">"Sign in"</button>
                </form>
            </section>
        </Layout>
    }
}
