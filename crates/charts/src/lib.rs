//! Charts as SVG text, for the report (就業形勢分析報告) and the dashboard.
//!
//! Pure and deterministic: a chart is plain data in, one SVG string out, with every
//! coordinate written to one decimal, so the same data always gives the same bytes.
//! Text is left to the viewer's fonts (`font-family` names Noto Sans CJK TC first, so
//! Traditional Chinese renders where fonts-noto-cjk is installed); its width is estimated
//! (CJK characters one em, others about half), which is all the layout needs.
//!
//! Three kinds: [`TimeChart`] (lines over time, with shaded spans such as downturns and
//! horizontal bands such as alert levels), [`BarChart`] (signed horizontal bars) and
//! [`PathChart`] (a path through an x–y plane, such as a Beveridge curve).

mod axis;
mod bars;
mod path;
mod svg;
mod time;

pub use axis::{format_number, nice_ticks};
pub use bars::{Bar, BarChart};
pub use path::{PathChart, PathPoint};
pub use time::{Band, Line, Span, TimeChart};

/// Colours used across charts, so that the report and the dashboard agree.
pub mod palette {
    /// The main series.
    pub const INK: &str = "#1f4e79";
    /// A second series.
    pub const SECOND: &str = "#c55a11";
    /// A third series.
    pub const THIRD: &str = "#548235";
    /// Bars that push up (good news).
    pub const UP: &str = "#2e7d32";
    /// Bars that push down (bad news).
    pub const DOWN: &str = "#c62828";
    /// Shaded spans (downturns).
    pub const SHADE: &str = "#d9d9d9";
    /// Alert level bands, mildest first.
    pub const BLUE: &str = "#bfdbfe";
    pub const YELLOW: &str = "#fef08a";
    pub const ORANGE: &str = "#fed7aa";
    pub const RED: &str = "#fecaca";
    /// Axes and grid.
    pub const GRID: &str = "#e5e5e5";
    pub const AXIS: &str = "#555555";
}

/// The font stack of every text element.
pub const FONT_FAMILY: &str =
    "'Noto Sans CJK TC', 'Noto Sans TC', 'Microsoft JhengHei', 'PingFang TC', sans-serif";
