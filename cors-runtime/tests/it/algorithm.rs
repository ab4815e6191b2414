//! The pure CORS decisions, without actix-web: policy + request header values -> decision.

use cors_runtime::rules::{validate, PolicyInput};
use cors_runtime::{
    decide_actual, decide_preflight, Actual, AllowOrigin, Denial, Field, Policy, Preflight,
    PreflightRequest, RequestOrigin, Verdict, MAX_REQUEST_HEADERS_LEN,
};

fn policy(input: PolicyInput<'_>) -> Policy {
    Policy::from_valid(&validate(&input).expect("valid policy"))
}

/// The decision about an actual request whose `Origin` the policy's written origins judge.
fn actual<'a>(p: &Policy, origin: Field<'a>) -> Actual<'a> {
    decide_actual(p, RequestOrigin::of(p, origin))
}

fn exact() -> Policy {
    policy(PolicyInput {
        origins: &["https://app.example.com", "https://*.example.org", "null"],
        route_methods: &["GET", "PUT"],
        headers: &["content-type", "x-request-id"],
        ..PolicyInput::default()
    })
}

fn preflight<'a>(
    p: &Policy,
    origin: &'a [u8],
    method: &'a [u8],
    headers: &'a [&'a [u8]],
) -> Preflight<'a> {
    decide_preflight(
        p,
        PreflightRequest {
            origin: RequestOrigin::of(p, Field::One(origin)),
            method: Field::One(method),
            headers: headers.iter().copied(),
            private_network: false,
        },
    )
}

#[test]
fn fields_are_counted_not_merged() {
    assert_eq!(Field::from_values(Vec::<&[u8]>::new()), Field::Absent);
    assert_eq!(Field::from_values([&b"a"[..]]), Field::One(b"a"));
    assert_eq!(Field::from_values([&b"a"[..], b"a"]), Field::Several);
}

#[test]
fn actual_origin_is_matched_byte_for_byte() {
    let p = exact();
    let allowed = Actual::Allowed(AllowOrigin::Echo);
    assert_eq!(actual(&p, Field::One(b"https://app.example.com")), allowed);
    assert_eq!(actual(&p, Field::One(b"null")), allowed);
    for denied in [
        &b"https://APP.example.com"[..],
        b"https://app.example.com/",
        b"https://app.example.com:443",
        b"http://app.example.com",
        b"https://app.example.com.evil.com",
        b"https://evilapp.example.com",
        b"https://app.example.co",
        b" https://app.example.com",
        b"NULL",
        b"",
        b"https://app.example.com\xff",
    ] {
        assert_eq!(
            actual(&p, Field::One(denied)),
            Actual::Denied(Denial::Origin(denied, Verdict::Refused)),
            "{denied:?}"
        );
    }
}

#[test]
fn wildcard_matches_one_whole_label_with_same_scheme_and_port() {
    let p = exact();
    assert_eq!(
        actual(&p, Field::One(b"https://a-1.example.org")),
        Actual::Allowed(AllowOrigin::Echo)
    );
    for denied in [
        &b"https://a.b.example.org"[..],
        b"https://example.org",
        b"https://.example.org",
        b"http://a.example.org",
        b"https://a.example.org:8443",
        b"https://A.example.org",
        b"https://a.example.org.evil.com",
        b"https://aexample.org",
        b"https://a/.example.org",
    ] {
        assert!(
            matches!(actual(&p, Field::One(denied)), Actual::Denied(_)),
            "{denied:?}"
        );
    }
    let long_label = [b"https://".as_slice(), &[b'a'; 64], b".example.org"].concat();
    assert!(matches!(
        actual(&p, Field::One(&long_label)),
        Actual::Denied(_)
    ));
}

#[test]
fn several_origins_match_nothing_even_for_star() {
    let any = policy(PolicyInput {
        origins: &["*"],
        route_methods: &["GET"],
        ..PolicyInput::default()
    });
    assert_eq!(
        actual(&any, Field::Several),
        Actual::Denied(Denial::SeveralOrigins)
    );
    assert_eq!(
        actual(&exact(), Field::Several),
        Actual::Denied(Denial::SeveralOrigins)
    );
}

#[test]
fn no_origin_varies_when_the_answer_depends_on_it_and_gets_star_when_not() {
    let any = policy(PolicyInput {
        origins: &["*"],
        route_methods: &["GET"],
        ..PolicyInput::default()
    });
    assert_eq!(
        actual(&any, Field::Absent),
        Actual::Allowed(AllowOrigin::Any)
    );
    assert_eq!(
        actual(&exact(), Field::Absent),
        Actual::NotCors { vary: true }
    );
    assert_eq!(
        actual(&any, Field::One(b"https://x.test")),
        Actual::Allowed(AllowOrigin::Any)
    );
}

#[test]
fn preflight_allowed_only_when_origin_method_and_every_header_are() {
    let p = exact();
    let ok = Preflight::Allowed {
        origin: AllowOrigin::Echo,
        private_network: false,
    };
    assert_eq!(preflight(&p, b"https://app.example.com", b"PUT", &[]), ok);
    assert_eq!(
        preflight(
            &p,
            b"https://app.example.com",
            b"PUT",
            &[b"content-type,x-request-id"]
        ),
        ok
    );
    assert_eq!(
        preflight(
            &p,
            b"https://app.example.com",
            b"PUT",
            &[b" Content-Type ,, X-Request-ID ,x-request-id,"]
        ),
        ok
    );
    assert_eq!(
        preflight(
            &p,
            b"https://app.example.com",
            b"PUT",
            &[b"content-type", b"x-request-id"]
        ),
        ok
    );
    assert_eq!(
        preflight(
            &p,
            b"https://app.example.com",
            b"PUT",
            &[b"\tcontent-type\t"]
        ),
        ok
    );
    assert_eq!(
        preflight(&p, b"https://evil.example", b"PUT", &[]),
        Preflight::Denied(Denial::Origin(b"https://evil.example", Verdict::Refused))
    );
    assert_eq!(
        preflight(&p, b"https://app.example.com", b"put", &[]),
        Preflight::Denied(Denial::Method(b"put"))
    );
    assert_eq!(
        preflight(&p, b"https://app.example.com", b"DELETE", &[]),
        Preflight::Denied(Denial::Method(b"DELETE"))
    );
    assert_eq!(
        preflight(&p, b"https://app.example.com", b"", &[]),
        Preflight::Denied(Denial::NoMethod)
    );
    assert_eq!(
        preflight(
            &p,
            b"https://app.example.com",
            b"PUT",
            &[b"content-type, x-other"]
        ),
        Preflight::Denied(Denial::Header(b"x-other"))
    );
    assert_eq!(
        preflight(
            &p,
            b"https://app.example.com",
            b"PUT",
            &[b"content-type, x y"]
        ),
        Preflight::Denied(Denial::MalformedHeader(b"x y"))
    );
    assert_eq!(
        preflight(
            &p,
            b"https://app.example.com",
            b"PUT",
            &[b"x-request-id\xff"]
        ),
        Preflight::Denied(Denial::MalformedHeader(b"x-request-id\xff"))
    );
}

#[test]
fn preflight_with_several_or_no_fields_is_denied() {
    let p = exact();
    let req = |origin, method| PreflightRequest {
        origin: RequestOrigin::of(&p, origin),
        method,
        headers: [&b""[..]; 0],
        private_network: false,
    };
    assert_eq!(
        decide_preflight(&p, req(Field::Absent, Field::One(b"GET"))),
        Preflight::Denied(Denial::NoOrigin)
    );
    assert_eq!(
        decide_preflight(&p, req(Field::Several, Field::One(b"GET"))),
        Preflight::Denied(Denial::SeveralOrigins)
    );
    assert_eq!(
        decide_preflight(
            &p,
            req(Field::One(b"https://app.example.com"), Field::Several)
        ),
        Preflight::Denied(Denial::SeveralMethods)
    );
    assert_eq!(
        decide_preflight(
            &p,
            req(Field::One(b"https://app.example.com"), Field::Absent)
        ),
        Preflight::Denied(Denial::NoMethod)
    );
}

#[test]
fn request_headers_over_the_limit_are_refused_unparsed() {
    let p = exact();
    let at_limit = ",".repeat(MAX_REQUEST_HEADERS_LEN);
    assert!(matches!(
        preflight(
            &p,
            b"https://app.example.com",
            b"GET",
            &[at_limit.as_bytes()]
        ),
        Preflight::Allowed { .. }
    ));
    let over = "content-type,".repeat(400);
    assert_eq!(
        preflight(&p, b"https://app.example.com", b"GET", &[over.as_bytes()]),
        Preflight::Denied(Denial::HeadersTooLong(over.len()))
    );
    let halves = [&over.as_bytes()[..2600], &over.as_bytes()[2600..]];
    assert_eq!(
        preflight(&p, b"https://app.example.com", b"GET", &halves),
        Preflight::Denied(Denial::HeadersTooLong(over.len()))
    );
}

#[test]
fn star_headers_cover_everything_but_authorization() {
    let star = policy(PolicyInput {
        origins: &["https://app.example.com"],
        route_methods: &["GET"],
        headers: &["*"],
        ..PolicyInput::default()
    });
    assert!(matches!(
        preflight(
            &star,
            b"https://app.example.com",
            b"GET",
            &[b"x-anything, x-other"]
        ),
        Preflight::Allowed { .. }
    ));
    assert_eq!(
        preflight(
            &star,
            b"https://app.example.com",
            b"GET",
            &[b"x-a, Authorization"]
        ),
        Preflight::Denied(Denial::Header(b"Authorization"))
    );
    let with_auth = policy(PolicyInput {
        origins: &["https://app.example.com"],
        route_methods: &["GET"],
        headers: &["*", "authorization"],
        ..PolicyInput::default()
    });
    assert!(matches!(
        preflight(
            &with_auth,
            b"https://app.example.com",
            b"GET",
            &[b"authorization"]
        ),
        Preflight::Allowed { .. }
    ));
    assert_eq!(with_auth.allow_headers_value(), Some("*, authorization"));
}

#[test]
fn private_network_needs_the_flag() {
    let req = |p: &Policy| {
        decide_preflight(
            p,
            PreflightRequest {
                origin: RequestOrigin::of(p, Field::One(b"https://app.example.com")),
                method: Field::One(b"GET"),
                headers: [&b""[..]; 0],
                private_network: true,
            },
        )
    };
    assert_eq!(req(&exact()), Preflight::Denied(Denial::PrivateNetwork));
    let pna = policy(PolicyInput {
        origins: &["https://app.example.com"],
        route_methods: &["GET"],
        private_network: true,
        ..PolicyInput::default()
    });
    assert_eq!(
        req(&pna),
        Preflight::Allowed {
            origin: AllowOrigin::Echo,
            private_network: true
        }
    );
}

#[test]
fn explanations_name_what_was_asked_and_what_is_allowed_and_stay_short() {
    let p = exact();
    assert_eq!(
        Denial::Origin(b"https://evil.example", Verdict::Refused).explain(&p).to_string(),
        "origin `https://evil.example` is not allowed (allowed origins: https://app.example.com, https://*.example.org, null)"
    );
    assert_eq!(
        Denial::Header(b"x-other").explain(&p).to_string(),
        "request header `x-other` is not allowed (allowed headers: content-type, x-request-id)"
    );
    let hostile = [b"\n\x1b[31mx".as_slice(), &[b'a'; 10_000]].concat();
    let text = Denial::Origin(&hostile, Verdict::Refused)
        .explain(&p)
        .to_string();
    assert!(text.starts_with("origin `\\x0a\\x1b[31mx"), "{text}");
    assert!(!text.contains('\n'));
    assert!(text.len() < 400, "{}", text.len());
}

#[test]
fn header_values_are_built_from_the_policy() {
    let p = policy(PolicyInput {
        origins: &["https://app.example.com"],
        route_methods: &["GET", "PUT"],
        headers: &["Content-Type", "X-Request-Id"],
        expose: &["x-total"],
        credentials: true,
        max_age: Some(600),
        ..PolicyInput::default()
    });
    assert_eq!(p.allow_methods_value(), "GET, PUT");
    assert_eq!(p.allow_headers_value(), Some("content-type, x-request-id"));
    assert_eq!(p.expose_value(), Some("x-total"));
    assert_eq!(p.max_age_value(), Some("600"));
    assert!(p.credentials());
}

mod handshakes {
    //! `decide_handshake`: which WebSocket handshakes a route refuses before the upgrade.

    use cors_runtime::{
        decide_handshake, is_handshake, Denial, Field, HandshakeRequest, Policy, RequestOrigin,
        Verdict,
    };

    use super::{exact, policy};
    use cors_runtime::rules::PolicyInput;

    const HOST: Option<&[u8]> = Some(b"api.example.com:8443");

    fn handshake<'a>(
        p: &Policy,
        upgrade: &'a [&'a [u8]],
        site: Field<'a>,
        origin: Field<'a>,
    ) -> Option<Denial<'a>> {
        decide_handshake(HandshakeRequest {
            method: b"GET",
            upgrade: upgrade.iter().copied(),
            fetch_site: site,
            origin: RequestOrigin::of(p, origin),
            host: HOST,
        })
    }

    #[test]
    fn the_websocket_token_is_found_case_insensitively_in_any_upgrade_field() {
        for upgrade in [
            &[&b"websocket"[..]][..],
            &[b"WebSocket"],
            &[b"WEBSOCKET"],
            &[b"h2c, websocket"],
            &[b"h2c", b"websocket"],
            // actix-http upgrades when the name is anywhere in the field: so is it found here.
            &[b"websocket/13"],
        ] {
            assert!(is_handshake(b"GET", upgrade.iter().copied()), "{upgrade:?}");
        }
        for upgrade in [&[][..], &[&b"h2c"[..]], &[b"websock"], &[b""]] {
            assert!(
                !is_handshake(b"GET", upgrade.iter().copied()),
                "{upgrade:?}"
            );
        }
        for method in [&b"POST"[..], b"get", b"HEAD", b"CONNECT"] {
            assert!(!is_handshake(method, [&b"websocket"[..]]), "{method:?}");
        }
    }

    #[test]
    fn a_handshake_from_an_origin_not_allowed_is_refused() {
        let p = exact();
        let ws: &[&[u8]] = &[b"websocket"];
        let evil = Field::One(b"https://evil.example");
        for site in [
            Field::One(&b"cross-site"[..]),
            Field::One(b"same-site"),
            Field::Absent,
            Field::One(b"unknown"),
            Field::Several,
        ] {
            assert!(handshake(&p, ws, site, evil).is_some(), "{site:?}");
            // Several `Origin` fields match no origin, even listed ones.
            assert!(
                handshake(&p, ws, site, Field::Several).is_some(),
                "{site:?}"
            );
        }
        assert_eq!(
            handshake(&p, ws, Field::One(b"cross-site"), evil),
            Some(Denial::CrossSiteHandshake {
                site: b"cross-site",
                origin: RequestOrigin::judged(evil, Verdict::Refused),
            })
        );
        assert_eq!(
            handshake(&p, ws, Field::Absent, evil),
            Some(Denial::ForeignHandshake {
                origin: RequestOrigin::judged(evil, Verdict::Refused),
                host: HOST,
            })
        );
        assert_eq!(
            handshake(&p, ws, Field::Absent, evil)
                .unwrap()
                .explain(&p)
                .to_string(),
            "a cross-origin WebSocket handshake: origin `https://evil.example` is neither this \
             server's own (`Host: api.example.com:8443`) nor allowed (allowed origins: \
             https://app.example.com, https://*.example.org, null)"
        );
        assert_eq!(
            handshake(&p, ws, Field::One(b"cross-site"), evil)
                .unwrap()
                .explain(&p)
                .to_string(),
            "a cross-origin WebSocket handshake: the browser marks it `Sec-Fetch-Site: \
             cross-site` and origin `https://evil.example` is not allowed (allowed origins: \
             https://app.example.com, https://*.example.org, null)"
        );
    }

    #[test]
    fn allowed_own_and_absent_origins_pass() {
        let p = exact();
        let ws: &[&[u8]] = &[b"websocket"];
        for site in [
            Field::One(&b"cross-site"[..]),
            Field::One(b"same-site"),
            Field::One(b"same-origin"),
            Field::Absent,
        ] {
            for origin in [
                &b"https://app.example.com"[..],
                b"https://a.example.org",
                b"null",
            ] {
                assert_eq!(handshake(&p, ws, site, Field::One(origin)), None);
            }
            // No `Origin`: not a browser, which always sends one with a handshake.
            assert_eq!(handshake(&p, ws, site, Field::Absent), None);
        }
        // The browser says: this site (or the user).
        for site in [&b"same-origin"[..], b"none"] {
            let evil = Field::One(b"https://evil.example");
            assert_eq!(handshake(&p, ws, Field::One(site), evil), None);
        }
        // No Fetch Metadata: the request's own origin, by host and port, whatever the scheme.
        for own in [
            &b"https://api.example.com:8443"[..],
            b"http://API.example.com:8443",
        ] {
            assert_eq!(handshake(&p, ws, Field::Absent, Field::One(own)), None);
        }
        assert!(handshake(
            &p,
            ws,
            Field::Absent,
            Field::One(b"https://api.example.com")
        )
        .is_some());
    }

    #[test]
    fn requests_that_are_not_handshakes_are_not_judged_here() {
        let p = exact();
        let evil = Field::One(b"https://evil.example");
        assert_eq!(handshake(&p, &[], Field::One(b"cross-site"), evil), None);
        assert_eq!(
            handshake(&p, &[b"h2c"], Field::One(b"cross-site"), evil),
            None
        );
        let post = decide_handshake(HandshakeRequest {
            method: b"POST",
            upgrade: [&b"websocket"[..]],
            fetch_site: Field::One(b"cross-site"),
            origin: RequestOrigin::of(&p, evil),
            host: HOST,
        });
        assert_eq!(post, None);
    }

    #[test]
    fn every_origin_may_open_a_socket_with_star() {
        let any = policy(PolicyInput {
            origins: &["*"],
            route_methods: &["GET"],
            ..PolicyInput::default()
        });
        let evil = Field::One(b"https://evil.example");
        assert_eq!(
            handshake(&any, &[b"websocket"], Field::One(b"cross-site"), evil),
            None
        );
    }
}
