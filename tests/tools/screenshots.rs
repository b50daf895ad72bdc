//! Regenerates `screenshots/*.png`: every screen of the real cockpit (the real `update`,
//! `render` and store-backed data source) over the demo database at a fixed date, drawn on
//! ratatui's `TestBackend`, written as SVG and rasterised with resvg in DejaVu Sans Mono.
//!
//! Run: `cargo run --example screenshots` (needs the Debian package fonts-dejavu-core).
//! It is a Cargo example kept under tests/: never part of the shipped binary.

use encours::app::keymap::KeyPress;
use encours::app::msg::{Effect, Msg};
use encours::app::store_source::{SourceSettings, StoreSource};
use encours::app::{App, AppConfig, ColourMode, Keymap, update};
use encours::cli::Context;
use encours::config::Settings;
use encours::locale::Language;
use encours::runtime::executor;
use encours::store::{Actor, OpenOptions, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const FONT_DIR: &str = "/usr/share/fonts/truetype/dejavu";
const CELL_W: f32 = 9.0;
const CELL_H: f32 = 18.0;
const FONT_SIZE: f32 = 15.0;

/// (file name, keys from the start, width, height, language)
const SHOTS: &[(&str, &str, u16, u16, Language)] = &[
    ("overview", "", 120, 40, Language::En),
    ("overview-80x24", "", 80, 24, Language::En),
    ("receivables", "2", 120, 40, Language::En),
    ("customer", "2 enter", 120, 40, Language::En),
    ("signals", "3", 120, 40, Language::En),
    ("queue", "4", 120, 40, Language::En),
    ("forecast", "5", 120, 40, Language::En),
    ("matching", "6", 120, 40, Language::En),
    ("imports", "7", 120, 40, Language::En),
    ("help", "4 ?", 120, 40, Language::En),
    ("apercu-fr", "", 120, 40, Language::Fr),
    ("relances-fr", "4", 120, 40, Language::Fr),
];

fn main() {
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&out_dir).expect("screenshots folder");
    let work = tempfile::tempdir().expect("temp folder");
    let db = work.path().join("demo.db");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let now = today.and_hms_opt(8, 30, 0).expect("time");
    let settings = Settings::defaults();
    let ctx = Context {
        settings: settings.clone(),
        lang: Language::En,
        today,
        db_path: db.clone(),
        read_only: false,
        who: "demo".into(),
        now,
    };
    {
        let mut store = Store::open(&db, OpenOptions::default()).expect("open demo db");
        encours::demo::build_into(&mut store, &ctx, &Default::default()).expect("demo");
    }
    let fonts = load_fonts();
    for (name, keys, w, h, lang) in SHOTS {
        let store = Store::open(&db, OpenOptions::default()).expect("open demo db");
        let source_settings =
            SourceSettings::from_settings(&settings, *lang).expect("built-in dunning policy");
        let mut source = StoreSource::new(store, source_settings);
        let cfg = AppConfig {
            lang: *lang,
            currency: settings.general.currency,
            today,
            colour: ColourMode::Ansi16,
            read_only: false,
        };
        let mut app = App::new(cfg, Keymap::defaults());
        let actor = Actor::new("demo", now);
        let mut terminal = Terminal::new(TestBackend::new(*w, *h)).expect("terminal");
        let mut run = |app: &mut App, effects: Vec<Effect>| {
            let mut queue = effects;
            while !queue.is_empty() {
                let effect = queue.remove(0);
                if let Some(msg) = executor::execute(&mut source, &effect, today, &actor) {
                    queue.extend(update(app, msg));
                }
            }
        };
        let effects = update(&mut app, Msg::Resize(*w, *h));
        run(&mut app, effects);
        let effects = app.start();
        run(&mut app, effects);
        for spec in keys.split_whitespace() {
            let key = KeyPress::parse(spec).expect("key spec");
            let effects = update(&mut app, Msg::Key(key));
            run(&mut app, effects);
        }
        terminal
            .draw(|f| encours::ui::render(f, &app))
            .expect("draw");
        let svg = buffer_to_svg(terminal.backend().buffer());
        let png = rasterise(&svg, &fonts);
        let path: PathBuf = out_dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write png");
        println!("{}", path.display());
    }
}

fn load_fonts() -> std::sync::Arc<resvg::usvg::fontdb::Database> {
    let mut db = resvg::usvg::fontdb::Database::new();
    for file in ["DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"] {
        let path = Path::new(FONT_DIR).join(file);
        db.load_font_file(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; install it with `apt-get install fonts-dejavu-core`",
                path.display()
            )
        });
    }
    std::sync::Arc::new(db)
}

/// A dark terminal palette for the 16 ANSI colours.
fn rgb(color: Color, default: &'static str) -> String {
    let hex = match color {
        Color::Reset => default,
        Color::Black => "#1d1f21",
        Color::Red => "#cc6666",
        Color::Green => "#8fb86b",
        Color::Yellow => "#e0b050",
        Color::Blue => "#6a9fd8",
        Color::Magenta => "#b294bb",
        Color::Cyan => "#70c0b1",
        Color::Gray => "#c5c8c6",
        Color::DarkGray => "#707880",
        Color::LightRed => "#ff7b7b",
        Color::LightGreen => "#b5e890",
        Color::LightYellow => "#f0d080",
        Color::LightBlue => "#9cc3f0",
        Color::LightMagenta => "#d7b8e0",
        Color::LightCyan => "#a0e0d8",
        Color::White => "#f0f0f0",
        Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(_) => default,
    };
    hex.to_string()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn buffer_to_svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let (width, height) = (area.width as f32 * CELL_W, area.height as f32 * CELL_H);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#1d1f21\"/>"
    );
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let cell = &buffer[(x, y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (rgb(cell.fg, "#c5c8c6"), rgb(cell.bg, "#1d1f21"));
            if reversed {
                std::mem::swap(&mut fg, &mut bg);
            }
            let bold = cell.modifier.contains(Modifier::BOLD);
            // A run of cells with the same style becomes one text element, laid out on the
            // cell grid so that columns line up whatever the font's advance.
            let start = x;
            let mut text = String::new();
            while x < area.width {
                let c = &buffer[(x, y)];
                if c.fg != cell.fg || c.bg != cell.bg || c.modifier != cell.modifier {
                    break;
                }
                text.push_str(c.symbol());
                x += 1;
            }
            let cells = (x - start) as f32;
            let (px, py) = (start as f32 * CELL_W, y as f32 * CELL_H);
            if bg != "#1d1f21" {
                let _ = write!(
                    svg,
                    "<rect x=\"{px}\" y=\"{py}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
                    cells * CELL_W
                );
            }
            if !text.trim().is_empty() {
                let _ = write!(
                    svg,
                    "<text x=\"{px}\" y=\"{}\" font-family=\"DejaVu Sans Mono\" font-size=\"{FONT_SIZE}\" \
                     font-weight=\"{}\" fill=\"{fg}\" textLength=\"{}\" lengthAdjust=\"spacing\" \
                     xml:space=\"preserve\">{}</text>",
                    py + CELL_H * 0.78,
                    if bold { "bold" } else { "normal" },
                    cells * CELL_W,
                    escape(&text)
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

fn rasterise(svg: &str, fonts: &std::sync::Arc<resvg::usvg::fontdb::Database>) -> Vec<u8> {
    let options = resvg::usvg::Options {
        fontdb: fonts.clone(),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options).expect("svg");
    let size = tree.size().to_int_size();
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("pixmap size");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().expect("png")
}
