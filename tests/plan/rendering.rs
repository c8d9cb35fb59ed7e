//! Rendering properties that snapshots do not pin down: colour only when asked, and the
//! Markdown comment always under GitHub's limit, with a note pointing at the full plan.

use scoville::model::*;
use scoville::plan::{PlanOptions, PlanOutcome, plan};
use scoville::render;

use crate::behaviour::quickstart_desired;
use crate::support::*;

#[test]
fn colour_only_when_asked() {
    let live = demo_live();
    let desired = quickstart_desired();
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    let plain = render::text(&planned, false);
    let coloured = render::text(&planned, true);
    assert!(!plain.contains('\x1b'));
    assert!(coloured.contains("\x1b[32m+"), "additions are green");
    assert!(coloured.contains("\x1b[33m~"), "changes are yellow");
    // Stripping the escapes gives the plain text back.
    let mut stripped = String::new();
    let mut chars = coloured.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            stripped.push(c);
        }
    }
    assert_eq!(stripped, plain);
}

#[test]
fn a_huge_plan_fits_in_one_pull_request_comment() {
    let live = demo_live();
    let mut desired = describe(&live);
    prune_everywhere(&mut desired, &[ObjectKind::WorkspaceMembers]);
    desired
        .workspaces
        .get_mut("Partnerships")
        .unwrap()
        .members
        .remove(&demo("Zoe"));
    for n in 0..3000u32 {
        let new = email(&format!(
            "a.very.long.name.for.rep.number.{n:04}@acme.example"
        ));
        desired.users.insert(
            new.clone(),
            DesiredUser {
                email: new.clone(),
                name: Some(format!("Rep {n}")),
                licenses: Some([License::Distro, License::ChiliCalOrg].into()),
                invite: true,
                source: src("users.yaml", 100 + n),
            },
        );
        let sales = desired.workspaces.get_mut("Sales").unwrap();
        sales
            .members
            .insert(new.clone(), src("sales.yaml", 100 + n));
        sales
            .teams
            .get_mut("smb-ae")
            .unwrap()
            .members
            .insert(new, src("sales.yaml", 4000 + n));
    }
    let planned = plan(&desired, &live, &PlanOptions::new(&desired, false));
    assert_eq!(
        planned.outcome(),
        PlanOutcome::Changes,
        "{:#?}",
        planned.errors
    );
    assert_eq!(planned.steps.len(), 3000 + 4);

    let markdown = render::markdown(&planned, "the `plan.json` artifact of this run");
    assert!(
        markdown.chars().count() < render::MARKDOWN_LIMIT,
        "{} characters",
        markdown.chars().count()
    );
    assert!(markdown.contains("The full plan is in the `plan.json` artifact of this run."));
    assert!(markdown.contains("rows of the table"));
    // The destructive step is the first row, so truncation never hides it.
    assert!(
        markdown.contains("| `user-invite` | 3000 |"),
        "calls per operation"
    );
    let first_row = markdown
        .lines()
        .skip_while(|l| !l.starts_with("| | Object"))
        .nth(2)
        .unwrap();
    assert!(
        first_row.contains("members:Partnerships") && first_row.contains(":warning:"),
        "{first_row}"
    );
    assert!(markdown.contains(&render::summary_line(&planned)));

    let small = render::markdown(
        &plan(&quickstart_desired(), &live, &PlanOptions::default()),
        "the artifact",
    );
    assert!(!small.contains("This comment is cut"));
}
