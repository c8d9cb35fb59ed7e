//! A workspace's distribution settings on the wire: what distribution-workspace-settings-get
//! answers and what distribution-workspace-settings-update takes (without the read-only
//! `orderIfEqualState`).

use serde::{Deserialize, Serialize};

use super::WorkspaceSettings;
use crate::model::{OrderIfEqualState, VacationBuffer, WorkspaceResetPeriodicity};

/// `WorkspaceDistributionSettings` as distribution-workspace-settings-get answers it: like the
/// manifests' `WorkspaceSettings`, but fields the official extracts do not name are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceSettingsRead {
    pub calibrate_vacation: bool,
    pub credit_back_cancelled: bool,
    pub credit_back_no_show: bool,
    pub order_if_equal_state: OrderIfEqualState,
    pub reset_periodicity: WorkspaceResetPeriodicity,
    pub vacation_buffer: VacationBuffer,
}

impl WorkspaceSettingsRead {
    /// The settings in scoville's terms.
    pub fn into_settings(self) -> WorkspaceSettings {
        WorkspaceSettings {
            calibrate_vacation: self.calibrate_vacation,
            credit_back_cancelled: self.credit_back_cancelled,
            credit_back_no_show: self.credit_back_no_show,
            order_if_equal_state: self.order_if_equal_state,
            reset_periodicity: self.reset_periodicity,
            vacation_buffer: self.vacation_buffer,
        }
    }
}

/// The body of distribution-workspace-settings-update (not stated beyond the settings type,
/// see `ops::DISTRIBUTION_WORKSPACE_SETTINGS_UPDATE`): the settings without the read-only
/// `orderIfEqualState`. The emulator refuses a body that carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkspaceSettingsUpdate {
    pub calibrate_vacation: bool,
    pub credit_back_cancelled: bool,
    pub credit_back_no_show: bool,
    pub reset_periodicity: WorkspaceResetPeriodicity,
    pub vacation_buffer: VacationBuffer,
}

impl WorkspaceSettingsUpdate {
    /// The writable part of a workspace's settings.
    pub fn from_settings(settings: &WorkspaceSettings) -> WorkspaceSettingsUpdate {
        WorkspaceSettingsUpdate {
            calibrate_vacation: settings.calibrate_vacation,
            credit_back_cancelled: settings.credit_back_cancelled,
            credit_back_no_show: settings.credit_back_no_show,
            reset_periodicity: settings.reset_periodicity.clone(),
            vacation_buffer: settings.vacation_buffer.clone(),
        }
    }

    /// The settings after this update, keeping the read-only `orderIfEqualState`.
    pub fn applied(&self, order_if_equal_state: OrderIfEqualState) -> WorkspaceSettings {
        WorkspaceSettings {
            calibrate_vacation: self.calibrate_vacation,
            credit_back_cancelled: self.credit_back_cancelled,
            credit_back_no_show: self.credit_back_no_show,
            order_if_equal_state,
            reset_periodicity: self.reset_periodicity.clone(),
            vacation_buffer: self.vacation_buffer.clone(),
        }
    }
}
