//! Rules: list and get (active only), create (revision 1), modify and delete with revision
//! checks; delete is soft.

use crate::edge::wire::{
    Page, Rule, RuleBody, RuleBuilderVersion, RuleCreateRequest, RuleModifyRequest,
};

use super::super::error::ApiError;
use super::super::pagination::PageRequest;
use super::{Actor, Deletion, IdKind, OrgState, StoredRule, created_metadata, touch};

impl OrgState {
    /// rule-list: active rules by id, optionally of one workspace and with a name containing
    /// `name` (case-insensitive).
    pub fn list_rules(
        &self,
        workspace_id: Option<&str>,
        name: Option<&str>,
        page: PageRequest,
    ) -> Page<Rule> {
        let name = name.map(str::to_lowercase);
        page.paginate(
            self.rules.values().filter(|stored| {
                let body = stored.rule.body();
                stored.deleted.is_none()
                    && workspace_id.is_none_or(|w| body.workspace_id == w)
                    && name
                        .as_ref()
                        .is_none_or(|n| body.name.to_lowercase().contains(n))
            }),
            |stored| stored.rule.clone(),
        )
    }

    fn active_rule(&self, rule_id: &str) -> Result<&Rule, ApiError> {
        self.rules
            .get(rule_id)
            .filter(|stored| stored.deleted.is_none())
            .map(|stored| &stored.rule)
            .ok_or_else(|| ApiError::not_found("rule", "ruleId", rule_id))
    }

    /// rule-get: a deleted rule is not found.
    pub fn get_rule(&self, rule_id: &str) -> Result<Rule, ApiError> {
        self.active_rule(rule_id).cloned()
    }

    /// An ownership rule's team must be a team of the rule's workspace.
    fn check_rule_team(&self, team_id: Option<&str>, workspace_id: &str) -> Result<(), ApiError> {
        if let Some(team_id) = team_id {
            let team = self.team(team_id)?;
            if team.workspace_id != workspace_id {
                return Err(ApiError::team_not_in_workspace(team_id, workspace_id));
            }
        }
        Ok(())
    }

    /// rule-create: live at once with revision 1; not idempotent (a supplied `ruleId` that
    /// exists already is a conflict).
    pub fn create_rule(
        &mut self,
        actor: &Actor,
        request: &RuleCreateRequest,
    ) -> Result<Rule, ApiError> {
        let fields = request.dto.view();
        let ownership = fields.ownership;
        OrgState::check_conditions(fields.conditions, ownership)?;
        self.workspace(fields.workspace_id)?;
        if fields.name.trim().is_empty() {
            return Err(ApiError::name_required("rule"));
        }
        self.check_rule_team(fields.team_id, fields.workspace_id)?;
        if let Some(rule_id) = fields.rule_id {
            if rule_id.is_empty()
                || rule_id.contains(['/', '\\'])
                || rule_id.contains(char::is_whitespace)
            {
                return Err(ApiError::InvalidBody);
            }
            if self.rules.contains_key(rule_id) {
                return Err(ApiError::already_exists("rule", "ruleId", rule_id));
            }
        }
        let stamp = self.stamp(actor);
        let id = match fields.rule_id {
            Some(rule_id) => rule_id.to_string(),
            None => self.new_id(IdKind::Rule),
        };
        let body = RuleBody {
            id: id.clone(),
            workspace_id: fields.workspace_id.to_string(),
            team_id: fields.team_id.map(str::to_string),
            assignment_table_id: None,
            name: fields.name.to_string(),
            conditions: fields.conditions.clone(),
            rule_builder_version: RuleBuilderVersion::ExplicitV1,
            product: None,
            metadata: created_metadata(&stamp),
        };
        let rule = if ownership {
            Rule::OwnershipRule(body)
        } else {
            Rule::NonOwnershipRule(body)
        };
        self.rules.insert(
            id,
            StoredRule {
                rule: rule.clone(),
                deleted: None,
            },
        );
        Ok(rule)
    }

    /// rule-modify (`{ruleId, revision, dto}`, the shape scoville assumes): needs the current
    /// revision (a stale one is a conflict that changes nothing); replaces name, conditions
    /// and, for ownership rules, the team. The kind and the workspace cannot change, and an
    /// assignment-table rule is not modified through this shape.
    pub fn modify_rule(
        &mut self,
        actor: &Actor,
        request: &RuleModifyRequest,
    ) -> Result<Rule, ApiError> {
        let rule_id = request.rule_id.as_str();
        let rule = self.active_rule(rule_id)?;
        let ownership = rule.is_ownership();
        let body = rule.body();
        let wanted = request.dto.view();
        if matches!(rule, Rule::AssignmentTableRule(_)) || wanted.ownership != ownership {
            return Err(ApiError::rule_kind_change(rule_id));
        }
        OrgState::check_conditions(wanted.conditions, ownership)?;
        if body.metadata.revision != request.revision {
            return Err(ApiError::revision_conflict(
                rule_id,
                body.metadata.revision,
                request.revision,
            ));
        }
        if wanted.workspace_id != body.workspace_id {
            return Err(ApiError::workspace_mismatch(
                "rule",
                rule_id,
                &body.workspace_id,
            ));
        }
        if wanted.name.trim().is_empty() {
            return Err(ApiError::name_required("rule"));
        }
        let workspace_id = body.workspace_id.clone();
        self.check_rule_team(wanted.team_id, &workspace_id)?;
        let stamp = self.stamp(actor);
        let stored = self.rules.get_mut(rule_id).expect("checked above");
        let body = stored.rule.body_mut();
        body.name = wanted.name.to_string();
        body.conditions = wanted.conditions.clone();
        if ownership {
            body.team_id = wanted.team_id.map(str::to_string);
        }
        touch(&mut body.metadata, &stamp);
        Ok(stored.rule.clone())
    }

    /// rule-delete: needs the current revision; soft (the rule disappears from list and get).
    pub fn delete_rule(
        &mut self,
        actor: &Actor,
        rule_id: &str,
        revision: i64,
    ) -> Result<(), ApiError> {
        let current = self.active_rule(rule_id)?.body().metadata.revision;
        if current != revision {
            return Err(ApiError::revision_conflict(rule_id, current, revision));
        }
        let stamp = self.stamp(actor);
        let stored = self.rules.get_mut(rule_id).expect("checked above");
        stored.deleted = Some(Deletion {
            deleted_at: stamp.at,
            deleted_by: stamp.by,
        });
        Ok(())
    }
}
