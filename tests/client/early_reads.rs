//! `live::fetch_when`: the reads start before the scope (the manifests) is known, only the
//! settings requests wait for it, and the result is the same as `live::fetch`'s.

use std::collections::BTreeSet;
use std::time::Duration;

use scoville::edge::ops;
use scoville::emulator::{self, DEMO_READONLY_TOKEN, Options};
use scoville::live::{self, Scope, SettingsScope};

use super::emulated::client;
use super::scripted::fast_retries;

fn sales_settings() -> Scope {
    Scope {
        workspaces: None,
        settings: SettingsScope::Listed(BTreeSet::from(["Sales".to_string()])),
        ..Scope::default()
    }
}

#[tokio::test]
async fn the_reads_run_before_the_scope_arrives_and_give_the_same_org() {
    let running = emulator::start(Options::new(emulator::demo_seed()))
        .await
        .unwrap();
    let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    let (scope_sender, scope_receiver) = tokio::sync::oneshot::channel::<Scope>();
    let reading = tokio::spawn({
        let client = client.clone();
        async move { live::fetch_when(&client, async move { scope_receiver.await.ok() }).await }
    });

    // Wait (on the journal, not on a clock) until every read that does not need the scope has
    // been answered; the scope is not sent yet.
    let unscoped = [
        ops::TENANT_GET.id,
        ops::WORKSPACE_LIST_USERS.id,
        ops::WORKSPACE_LIST.id,
        ops::TEAM_LIST_PUT.id,
        ops::DISTRIBUTION_LIST_PUT.id,
        ops::RULE_LIST.id,
    ];
    let answered = || -> BTreeSet<String> {
        running
            .control()
            .journal()
            .into_iter()
            .filter_map(|entry| entry.operation)
            .collect()
    };
    let mut polls = 0;
    while !unscoped.iter().all(|op| answered().contains(*op)) {
        polls += 1;
        assert!(
            polls < 2_000,
            "the reads did not start before the scope: {:?}",
            answered()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(!answered().contains(ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET.id));
    assert!(
        !reading.is_finished(),
        "the settings must wait for the scope"
    );

    scope_sender.send(sales_settings()).unwrap();
    let live = reading.await.unwrap().unwrap().expect("a scope was given");
    assert!(answered().contains(ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET.id));
    let expected = live::fetch(&client, &sales_settings()).await.unwrap();
    assert_eq!(live, expected);
    assert!(live.workspaces["Sales"].settings.is_some());
}

#[tokio::test]
async fn no_scope_means_no_org_and_no_settings_reads() {
    let running = emulator::start(Options::new(emulator::demo_seed()))
        .await
        .unwrap();
    let client = client(&running, DEMO_READONLY_TOKEN, fast_retries());
    let live = live::fetch_when(&client, async { None }).await.unwrap();
    assert!(live.is_none());
    assert!(running.control().journal().iter().all(
        |entry| entry.operation.as_deref() != Some(ops::DISTRIBUTION_WORKSPACE_SETTINGS_GET.id)
    ));
}
