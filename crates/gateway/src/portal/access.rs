//! Accesso: logging in with the username and password the comune gave, logging out, and
//! changing the password.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::cookies::{self, CookiePolicy};
use super::csrf;
use super::error::{PortalError, safe_return_path};
use super::layout::{Layout, household};
use super::session::{Family, Visitor};
use crate::AppState;
use crate::caller::{ClientAddress, SESSION_COOKIE, client_ip};
use auth::{AuthError, Principal};

#[derive(Template)]
#[template(path = "portal/login.html")]
struct LoginPage {
    layout: Layout,
    return_to: String,
    username: String,
    error: Option<String>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    torna: Option<String>,
    uscito: Option<String>,
}

/// Where to go after logging in: a page of this site, or the summary.
fn return_path(requested: Option<&str>) -> String {
    requested
        .and_then(safe_return_path)
        .filter(|path| !path.starts_with("/accesso"))
        .unwrap_or("/")
        .to_owned()
}

/// What the login page shows besides the form.
struct LoginView {
    return_to: String,
    username: String,
    error: Option<String>,
    notice: Option<&'static str>,
    status: StatusCode,
}

pub async fn login_form(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Result<Response, PortalError> {
    let return_to = return_path(query.torna.as_deref());
    if let Some(session) = &visitor.session
        && matches!(session.identity.principal, Principal::Guardian { .. })
    {
        return Ok(see_other(&return_to));
    }
    let notice = query
        .uscito
        .is_some()
        .then_some("Sei uscito dal servizio. Per rientrare accedi di nuovo.");
    let view = LoginView {
        return_to,
        username: String::new(),
        error: None,
        notice,
        status: StatusCode::OK,
    };
    login_page(&state, &visitor, &headers, view)
}

fn login_page(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    view: LoginView,
) -> Result<Response, PortalError> {
    // Keep the visitor's pre-login token while it lasts, so two open tabs both work.
    let existing = cookies::read(headers, csrf::LOGIN_COOKIE)
        .filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()));
    let token = match existing {
        Some(token) => token.to_owned(),
        None => csrf::random().map_err(PortalError::internal)?,
    };
    let page = LoginPage {
        layout: Layout::anonymous(&visitor.tenant, "Accesso", "accesso", token.clone()),
        return_to: view.return_to,
        username: view.username,
        error: view.error,
        notice: view.notice,
    };
    let html = page.render().map_err(PortalError::internal)?;
    let mut response = (view.status, Html(html)).into_response();
    if existing.is_none()
        && let Some(cookie) = policy(state).set(csrf::LOGIN_COOKIE, &token, 3600)
    {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    torna: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Result<Response, PortalError> {
    let expected = cookies::read(&parts.headers, csrf::LOGIN_COOKIE).unwrap_or_default();
    if !csrf::matches(&form.csrf, expected) {
        return Err(PortalError::Csrf);
    }
    let return_to = return_path(form.torna.as_deref());
    let address = client_ip(&parts, &state);
    let retry = |message: String, status: StatusCode| {
        let view = LoginView {
            return_to: return_to.clone(),
            username: form.username.trim().to_owned(),
            error: Some(message),
            notice: None,
            status,
        };
        login_page(&state, &visitor, &parts.headers, view)
    };
    if form.username.trim().is_empty() || form.password.is_empty() {
        return retry(
            "Inserisci nome utente e password, poi premi Accedi.".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match state
        .auth
        .login(&visitor.tenant, &form.username, &form.password, address)
        .await
    {
        Ok(session) if matches!(session.identity.principal, Principal::Guardian { .. }) => {
            let seconds = (session.expires_at - chrono::Utc::now())
                .num_seconds()
                .max(60);
            let mut response = see_other(&return_to);
            let policy = policy(&state);
            let cookies = [
                policy.set(SESSION_COOKIE, &session.token, seconds),
                policy.clear(csrf::LOGIN_COOKIE),
            ];
            for cookie in cookies.into_iter().flatten() {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            Ok(response)
        }
        Ok(session) => {
            // Staff credentials are valid, but not for these pages: do not leave the
            // session open behind a refusal.
            state
                .auth
                .logout(&session.identity)
                .await
                .map_err(PortalError::internal)?;
            retry(
                "Queste credenziali sono del personale del Comune: il portale è per i genitori. Accedi con le credenziali del genitore pagante.".to_owned(),
                StatusCode::FORBIDDEN,
            )
        }
        Err(AuthError::InvalidCredentials) => retry(
            format!(
                "Nome utente o password non corretti per il {}. Controlla di essere sul sito del tuo Comune e riprova; se non ricordi le credenziali, contatta l'ufficio refezione{}.",
                visitor.tenant.name,
                contact(&visitor)
            ),
            StatusCode::UNAUTHORIZED,
        ),
        Err(AuthError::RateLimited { retry_after }) => retry(
            format!(
                "Troppi tentativi non riusciti. Attendi {} minuti e riprova; se non ricordi la password, contatta l'ufficio refezione{}.",
                retry_after.as_secs().div_ceil(60).max(1),
                contact(&visitor)
            ),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(error) => Err(PortalError::internal(error)),
    }
}

fn contact(visitor: &Visitor) -> String {
    let contacts = &visitor.tenant.contacts;
    match (&contacts.email, &contacts.phone) {
        (Some(email), Some(phone)) => format!(" ({email}, tel. {phone})"),
        (Some(email), None) => format!(" ({email})"),
        (None, Some(phone)) => format!(" (tel. {phone})"),
        (None, None) => String::new(),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    family: Family,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PortalError> {
    family.check_csrf(&form.csrf)?;
    state
        .auth
        .logout(&family.session.identity)
        .await
        .map_err(PortalError::internal)?;
    let mut response = see_other("/accesso?uscito=1");
    if let Some(cookie) = policy(&state).clear(SESSION_COOKIE) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "portal/password.html")]
struct PasswordPage {
    layout: Layout,
    error: Option<String>,
    done: bool,
}

pub async fn password_form(
    State(state): State<AppState>,
    family: Family,
) -> Result<Response, PortalError> {
    password_page(&state, &family, None, StatusCode::OK).await
}

async fn password_page(
    state: &AppState,
    family: &Family,
    outcome: Option<Result<(), String>>,
    status: StatusCode,
) -> Result<Response, PortalError> {
    let household = household(state, family).await?;
    let page = PasswordPage {
        layout: Layout::for_family(family, &household, "Cambia password", "password"),
        done: matches!(outcome, Some(Ok(()))),
        error: outcome.and_then(Result::err),
    };
    let html = page.render().map_err(PortalError::internal)?;
    Ok((status, Html(html)).into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    attuale: String,
    #[serde(default)]
    nuova: String,
    #[serde(default)]
    conferma: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    family: Family,
    ClientAddress(address): ClientAddress,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PortalError> {
    family.check_csrf(&form.csrf)?;
    let refuse = |message: &str| Err(message.to_owned());
    let outcome = if form.nuova != form.conferma {
        refuse("La nuova password e la conferma non coincidono: scrivile di nuovo, uguali.")
    } else {
        match state
            .auth
            .change_password(
                &family.session.identity,
                &form.attuale,
                &form.nuova,
                address,
            )
            .await
        {
            Ok(()) => Ok(()),
            Err(AuthError::WrongPassword) => refuse(
                "La password attuale non è corretta: scrivi quella con cui hai fatto l'accesso.",
            ),
            Err(AuthError::WeakPassword(_)) => refuse(
                "La nuova password è troppo debole: usa almeno 8 caratteri e almeno tre tipi tra minuscole, maiuscole, cifre e simboli.",
            ),
            Err(AuthError::RateLimited { .. }) => {
                refuse("Troppi tentativi: attendi qualche minuto e riprova.")
            }
            Err(error) => return Err(PortalError::internal(error)),
        }
    };
    let status = if outcome.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    password_page(&state, &family, Some(outcome), status).await
}

fn policy(state: &AppState) -> CookiePolicy {
    CookiePolicy {
        secure: state.secure_cookies,
    }
}

pub fn see_other(location: &str) -> Response {
    let location = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}
