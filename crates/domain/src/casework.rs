//! The vocabulary of the wage and MPF arrears early warning and of its cases: employer
//! levels, kinds of default, the reasons an employer is listed, case states, referrals,
//! user roles.
//!
//! Case state machine (which state may follow which; every step is recorded):
//!
//! ```text
//!            ┌── reassign ──┐  ┌── another contact (call, letter, visit, meeting) ──┐
//!            ▼              │  ▼                                                    │
//! discover ──▶ assigned ────┴─▶ intervening ──────────────────────────────────────┴─▶ resolved
//!    │            │                 │  ▲                                               ▲
//!    │            │                 │  └─ the referral comes back ─┐                   │
//!    └────────────┴─────────────────┴──────────▶ referred ─────────┴── its outcome ───┘
//!                                           (Labour Department, MPFA, Labour Tribunal,
//!                                            insolvency fund)
//! ```
//!
//! A case may be referred from any open state, including `discover`: an employer already
//! wound up goes straight to the insolvency fund. A referred case stays open until the
//! referral's outcome is recorded (it is then resolved), or the referral comes back and the
//! officer intervenes again. `resolved` is reached only through an intervention or a
//! referral, and is final.

use crate::coded::coded;

coded! {
    /// An employer's arrears warning level, mildest first (the order of `Ord`).
    pub enum ArrearsLevel: "an arrears level" {
        Yellow = "yellow",
        Orange = "orange",
        Red = "red",
    }
}

impl ArrearsLevel {
    pub fn name_zh(self) -> &'static str {
        match self {
            ArrearsLevel::Yellow => "黃色",
            ArrearsLevel::Orange => "橙色",
            ArrearsLevel::Red => "紅色",
        }
    }
}

coded! {
    /// A kind of default, as found in the data or injected by the test-data generator.
    pub enum DefaultKind: "a kind of default" {
        MpfUnpaid = "mpf_unpaid",
        MpfLate = "mpf_late",
        MpfShort = "mpf_short",
        WagesUnpaid = "wages_unpaid",
        WagesLate = "wages_late",
        WagesShort = "wages_short",
        BelowMinimumWage = "below_minimum_wage",
        /// A worker or union report about an employer with no default in the data.
        ReportWithoutData = "report_without_data",
    }
}

impl DefaultKind {
    /// The reason an employer with this kind of default is listed.
    pub fn reason(self) -> Reason {
        match self {
            DefaultKind::MpfUnpaid => Reason::MpfUnpaid,
            DefaultKind::MpfLate => Reason::MpfLate,
            DefaultKind::MpfShort => Reason::MpfShort,
            DefaultKind::WagesUnpaid => Reason::WagesUnpaid,
            DefaultKind::WagesLate => Reason::WagesLate,
            DefaultKind::WagesShort => Reason::WagesShort,
            DefaultKind::BelowMinimumWage => Reason::BelowMinimumWage,
            DefaultKind::ReportWithoutData => Reason::ReportUnconfirmed,
        }
    }
}

coded! {
    /// Why an employer is listed, with a short text in each language.
    pub enum Reason: "an arrears reason" {
        MpfUnpaid = "mpf_unpaid",
        MpfLate = "mpf_late",
        MpfShort = "mpf_short",
        WagesUnpaid = "wages_unpaid",
        WagesLate = "wages_late",
        WagesShort = "wages_short",
        BelowMinimumWage = "below_minimum_wage",
        GroupDispute = "group_dispute",
        ManyWorkers = "many_workers",
        SizableEmployer = "sizable_employer",
        ArrearsOrange = "arrears_orange",
        ArrearsRed = "arrears_red",
        MonthsInDefault = "months_in_default",
        RepeatDefaults = "repeat_defaults",
        ReportConfirmed = "report_confirmed",
        ReportUnconfirmed = "report_unconfirmed",
        ReportClaimsGroupDispute = "report_claims_group_dispute",
    }
}

impl Reason {
    pub fn en(self) -> &'static str {
        match self {
            Reason::MpfUnpaid => "MPF contributions unpaid after the contribution day",
            Reason::MpfLate => "MPF contributions paid after the contribution day",
            Reason::MpfShort => "MPF contributions below the mandatory amount",
            Reason::WagesUnpaid => "wages unpaid more than 7 days after the wage period",
            Reason::WagesLate => "wages paid more than 7 days after the wage period",
            Reason::WagesShort => "wages paid short of wages due",
            Reason::BelowMinimumWage => "pay below the statutory minimum wage",
            Reason::GroupDispute => {
                "group dispute: workers affected at the group threshold or more"
            }
            Reason::ManyWorkers => "several workers affected",
            Reason::SizableEmployer => "sizable employer",
            Reason::ArrearsOrange => "arrears above the orange threshold",
            Reason::ArrearsRed => "arrears above the red threshold",
            Reason::MonthsInDefault => "in default for consecutive months",
            Reason::RepeatDefaults => "repeat defaults in the past 12 months",
            Reason::ReportConfirmed => "worker report confirmed by data",
            Reason::ReportUnconfirmed => "worker report, not yet confirmed by data",
            Reason::ReportClaimsGroupDispute => "worker report claims a group dispute",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Reason::MpfUnpaid => "供款日後仍未繳付強積金供款",
            Reason::MpfLate => "強積金供款逾期繳付",
            Reason::MpfShort => "強積金供款少於強制性供款",
            Reason::WagesUnpaid => "工資期結束後七天仍未支付工資",
            Reason::WagesLate => "工資期結束七天後才支付工資",
            Reason::WagesShort => "工資少付",
            Reason::BelowMinimumWage => "工資低於法定最低工資",
            Reason::GroupDispute => "集體勞資糾紛：受影響僱員人數達門檻",
            Reason::ManyWorkers => "涉及多名僱員",
            Reason::SizableEmployer => "規模較大的僱主",
            Reason::ArrearsOrange => "拖欠款額達橙色門檻",
            Reason::ArrearsRed => "拖欠款額達紅色門檻",
            Reason::MonthsInDefault => "連續多月拖欠",
            Reason::RepeatDefaults => "過去十二個月內多次拖欠",
            Reason::ReportConfirmed => "工人舉報已獲數據證實",
            Reason::ReportUnconfirmed => "工人舉報，尚未獲數據證實",
            Reason::ReportClaimsGroupDispute => "工人舉報涉及集體勞資糾紛",
        }
    }
}

coded! {
    /// What a user may do. Only [`Role::CaseOfficer`] and [`Role::Admin`] see or change cases.
    pub enum Role: "a role" {
        Viewer = "viewer",
        Analyst = "analyst",
        CaseOfficer = "case_officer",
        Admin = "admin",
    }
}

impl Role {
    pub fn has_case_access(self) -> bool {
        matches!(self, Role::CaseOfficer | Role::Admin)
    }
}

coded! {
    /// What happened to a user, in the users' audit log.
    pub enum UserAction: "a user action" {
        Added = "added",
        RoleChanged = "role_changed",
    }
}

coded! {
    /// Where a case stands.
    pub enum CaseState: "a case state" {
        Discover = "discover",
        Assigned = "assigned",
        Intervening = "intervening",
        Referred = "referred",
        Resolved = "resolved",
    }
}

impl CaseState {
    /// Resolved cases are closed for good; a referred case waits for its outcome.
    pub fn is_final(self) -> bool {
        self == CaseState::Resolved
    }

    /// The states a case may move to from this one.
    pub fn next(self) -> &'static [CaseState] {
        match self {
            CaseState::Discover => &[CaseState::Assigned, CaseState::Referred],
            CaseState::Assigned => &[
                CaseState::Assigned,
                CaseState::Intervening,
                CaseState::Referred,
            ],
            CaseState::Intervening => &[
                CaseState::Assigned,
                CaseState::Intervening,
                CaseState::Referred,
                CaseState::Resolved,
            ],
            CaseState::Referred => &[CaseState::Intervening, CaseState::Resolved],
            CaseState::Resolved => &[],
        }
    }
}

coded! {
    /// How an officer acted on a case.
    pub enum Intervention: "an intervention" {
        Call = "call",
        Letter = "letter",
        Visit = "visit",
        Meeting = "meeting",
    }
}

coded! {
    /// Who a referred case went to.
    pub enum Referral: "a referral" {
        LabourDepartment = "labour-department",
        Mpfa = "mpfa",
        LabourTribunal = "labour-tribunal",
        InsolvencyFund = "insolvency-fund",
    }
}

/// A step recorded in a case's audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseAction {
    Open,
    Assign,
    Reassign,
    /// Recorded without its kind before interventions had kinds.
    Intervene(Option<Intervention>),
    Refer(Referral),
    /// The referral came back to the officer.
    ReferralReturned,
    Resolve,
}

impl CaseAction {
    /// The action of moving from `from` to `to`; `referral` names the target of a referral
    /// and `intervention` how the officer acted.
    pub fn of_step(
        from: CaseState,
        to: CaseState,
        referral: Option<Referral>,
        intervention: Option<Intervention>,
    ) -> CaseAction {
        match (from, to, referral) {
            (_, CaseState::Assigned, _) if from != CaseState::Discover => CaseAction::Reassign,
            (_, CaseState::Assigned, _) => CaseAction::Assign,
            (CaseState::Referred, CaseState::Intervening, _) => CaseAction::ReferralReturned,
            (_, CaseState::Intervening, _) => CaseAction::Intervene(intervention),
            (_, CaseState::Resolved, _) => CaseAction::Resolve,
            (_, _, Some(referral)) => CaseAction::Refer(referral),
            (_, CaseState::Discover | CaseState::Referred, None) => CaseAction::Open,
        }
    }

    /// The code in the audit log: `open`, `assign`, `reassign`, `intervene:<how>`,
    /// `refer:<referral>`, `referral-returned` or `resolve`.
    pub fn code(self) -> String {
        match self {
            CaseAction::Open => "open".to_owned(),
            CaseAction::Assign => "assign".to_owned(),
            CaseAction::Reassign => "reassign".to_owned(),
            CaseAction::Intervene(None) => "intervene".to_owned(),
            CaseAction::Intervene(Some(how)) => format!("intervene:{}", how.as_str()),
            CaseAction::Refer(referral) => format!("refer:{}", referral.as_str()),
            CaseAction::ReferralReturned => "referral-returned".to_owned(),
            CaseAction::Resolve => "resolve".to_owned(),
        }
    }

    pub fn parse(text: &str) -> Result<CaseAction, crate::DomainError> {
        let text = text.trim();
        let action = match text {
            "open" => CaseAction::Open,
            "assign" => CaseAction::Assign,
            "reassign" => CaseAction::Reassign,
            "intervene" => CaseAction::Intervene(None),
            "referral-returned" => CaseAction::ReferralReturned,
            "resolve" => CaseAction::Resolve,
            other => {
                if let Some(how) = other.strip_prefix("intervene:") {
                    CaseAction::Intervene(Some(Intervention::parse(how)?))
                } else if let Some(referral) = other.strip_prefix("refer:") {
                    CaseAction::Refer(Referral::parse(referral)?)
                } else {
                    return Err(crate::DomainError::Code {
                        what: "a case action",
                        text: text.to_owned(),
                        expected: "open, assign, reassign, intervene:<how>, refer:<referral>, \
                                   referral-returned, resolve"
                            .to_owned(),
                    });
                }
            }
        };
        Ok(action)
    }
}

impl std::fmt::Display for CaseAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_name_the_choices() {
        for state in CaseState::ALL {
            assert_eq!(CaseState::parse(state.as_str()), Ok(*state));
        }
        assert_eq!(Role::parse(" case_officer "), Ok(Role::CaseOfficer));
        let error = ArrearsLevel::parse("purple").unwrap_err().to_string();
        assert_eq!(
            error,
            "'purple' is not an arrears level (expected one of: yellow, orange, red)"
        );
    }

    #[test]
    fn case_actions_round_trip_through_their_codes() {
        let actions = [
            CaseAction::Open,
            CaseAction::Assign,
            CaseAction::Reassign,
            CaseAction::Intervene(None),
            CaseAction::Intervene(Some(Intervention::Visit)),
            CaseAction::Refer(Referral::InsolvencyFund),
            CaseAction::ReferralReturned,
            CaseAction::Resolve,
        ];
        for action in actions {
            assert_eq!(CaseAction::parse(&action.code()), Ok(action));
        }
        let step = |from, to, referral, how| CaseAction::of_step(from, to, referral, how).code();
        assert_eq!(
            step(
                CaseState::Intervening,
                CaseState::Referred,
                Some(Referral::Mpfa),
                None
            ),
            "refer:mpfa"
        );
        assert_eq!(
            step(
                CaseState::Intervening,
                CaseState::Intervening,
                None,
                Some(Intervention::Call)
            ),
            "intervene:call"
        );
        assert_eq!(
            step(CaseState::Referred, CaseState::Intervening, None, None),
            "referral-returned"
        );
        assert_eq!(
            step(CaseState::Discover, CaseState::Assigned, None, None),
            "assign"
        );
        assert!(CaseAction::parse("refer:police").is_err());
    }

    #[test]
    fn a_referred_case_stays_open_until_its_outcome() {
        assert!(!CaseState::Referred.is_final());
        assert!(CaseState::Referred.next().contains(&CaseState::Resolved));
        assert!(
            CaseState::Intervening
                .next()
                .contains(&CaseState::Intervening)
        );
        assert_eq!(CaseState::Resolved.next(), []);
        assert!(!CaseState::Discover.next().contains(&CaseState::Resolved));
    }

    #[test]
    fn only_case_officers_and_admins_have_case_access() {
        let with_access: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|role| role.has_case_access())
            .collect();
        assert_eq!(with_access, [Role::CaseOfficer, Role::Admin]);
    }
}
