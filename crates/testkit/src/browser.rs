//! A signed-in HTTP client for tests: keeps the session cookie, reads CSRF tokens out of
//! forms, never follows redirects (tests assert them).

use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};

/// One browser: its cookies and the app's base URL.
#[derive(Debug, Clone)]
pub struct Browser {
    pub base: String,
    client: reqwest::Client,
    /// `name=value` pairs sent as the Cookie header.
    pub cookies: Vec<(String, String)>,
}

/// The value of the first `name="_csrf"` field on a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    html[at..].split('"').next().map(str::to_owned)
}

impl Browser {
    /// A browser with no cookies.
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .expect("client"),
            cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Takes the response's Set-Cookie headers (an empty value or Max-Age=0 removes).
    fn keep_cookies(&mut self, r: &Response) {
        for v in r.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap_or_default();
            let Some((k, rest)) = v.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or_default().to_owned();
            self.cookies.retain(|(name, _)| name != k);
            if !value.is_empty() && !v.contains("Max-Age=0") {
                self.cookies.push((k.to_owned(), value));
            }
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// GET with this browser's cookies.
    pub async fn get(&mut self, path: &str) -> Response {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("request");
        self.keep_cookies(&r);
        r
    }

    /// GET and the body.
    pub async fn page(&mut self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        (r.status(), r.text().await.expect("body"))
    }

    /// POST a form as a same-origin browser would.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("sec-fetch-site", "same-origin")
            .form(fields)
            .send()
            .await
            .expect("request");
        self.keep_cookies(&r);
        r
    }

    /// Any request, for API and attack tests.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
    }

    /// Signs in through the form; panics unless it redirects.
    pub async fn login(&mut self, username: &str, password: &str) {
        let (status, html) = self.page("/masuk").await;
        assert_eq!(status, 200);
        let csrf = csrf_of(&html).expect("login form has a CSRF field");
        let r = self
            .post(
                "/masuk",
                &[
                    ("_csrf", &csrf),
                    ("username", username),
                    ("password", password),
                    ("lanjut", "/"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "sign-in of {username} failed");
        assert!(self.cookie("sipmas_sesi").is_some());
    }

    /// The CSRF token of a signed-in page.
    pub async fn csrf(&mut self, path: &str) -> String {
        let (_, html) = self.page(path).await;
        csrf_of(&html).expect("page has a form with a CSRF field")
    }
}
