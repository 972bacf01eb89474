//! Intake: First Notice of Loss from every channel becomes a [`draft::Draft`]; admission turns
//! a draft into a claim (id, policy lookup, status reported or incomplete, duplicate warnings).

pub mod admit;
pub mod csv_batch;
pub mod draft;
pub mod email;
pub mod payload;
pub mod phone;
pub mod source;
pub mod vehicles;
