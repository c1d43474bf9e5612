//! The *code spécialité* of a professional and the labels of the public
//! nomenclature.

use crate::Error;

/// The professional's specialty code (*code spécialité*): two digits,
/// `00` to `99`, as the Assurance Maladie codes the specialty of the
/// professional who performs the care.
///
/// Any two digits are accepted (the nomenclature grows: a new code must
/// not make the SDK refuse a professional). [`SpecialtyCode::label`]
/// names the codes of the published nomenclature `IR_SPE_V` of the SNDS
/// (*spécialité du professionnel de santé*, public schema of the Système
/// national des données de santé, `indsante/schema-snds`,
/// `nomenclatures/ORAVAL/IR_SPE_V.csv`); other codes have no label.
///
/// ```
/// use vitale_adri::SpecialtyCode;
///
/// let gp = SpecialtyCode::parse("01")?;
/// assert_eq!(gp.get(), 1);
/// assert_eq!(gp.as_str(), "01");
/// assert_eq!(gp.label(), Some("Médecine générale"));
/// assert!(SpecialtyCode::parse("1").is_err());
/// # Ok::<(), vitale_adri::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct SpecialtyCode([u8; 2]);

impl SpecialtyCode {
    /// `01`, *médecine générale*.
    pub const GENERAL_PRACTICE: SpecialtyCode = SpecialtyCode(*b"01");

    /// Parses exactly two ASCII digits.
    ///
    /// # Errors
    /// [`Error::Invalid`] otherwise.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bytes: [u8; 2] = text
            .as_bytes()
            .try_into()
            .map_err(|_| Error::Invalid("specialty code: 2 digits expected"))?;
        if bytes.iter().all(u8::is_ascii_digit) {
            Ok(SpecialtyCode(bytes))
        } else {
            Err(Error::Invalid("specialty code: 2 digits expected"))
        }
    }

    /// From its number; `None` above 99.
    pub const fn new(code: u8) -> Option<Self> {
        if code <= 99 {
            Some(SpecialtyCode([b'0' + code / 10, b'0' + code % 10]))
        } else {
            None
        }
    }

    /// The number, 0 to 99.
    pub const fn get(self) -> u8 {
        (self.0[0] - b'0') * 10 + (self.0[1] - b'0')
    }

    /// The two digits.
    pub fn as_str(&self) -> &str {
        // Invariant: both bytes are ASCII digits, hence UTF-8.
        core::str::from_utf8(&self.0).unwrap_or("00")
    }

    /// The label of the code in the published nomenclature (`IR_SPE_V`),
    /// or `None` for a code it does not list.
    pub fn label(self) -> Option<&'static str> {
        let code = self.get();
        LABELS
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, label)| *label)
    }
}

impl core::fmt::Display for SpecialtyCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The codes of `IR_SPE_V` (SNDS public schema) with their labels, `00`
/// (*non renseigné*) and `99` (*non renseigné*) left out.
const LABELS: &[(u8, &str)] = &[
    (1, "Médecine générale"),
    (2, "Anesthésiologie - réanimation chirurgicale"),
    (3, "Pathologie cardio-vasculaire"),
    (4, "Chirurgie générale"),
    (5, "Dermatologie et vénéréologie"),
    (6, "Radiodiagnostic et imagerie médicale"),
    (7, "Gynécologie obstétrique"),
    (8, "Gastro-entérologie et hépatologie"),
    (9, "Médecine interne"),
    (10, "Neurochirurgie"),
    (11, "Oto-rhino-laryngologie"),
    (12, "Pédiatrie"),
    (13, "Pneumologie"),
    (14, "Rhumatologie"),
    (15, "Ophtalmologie"),
    (16, "Chirurgie urologique"),
    (17, "Neuropsychiatrie"),
    (18, "Stomatologie"),
    (20, "Réanimation médicale"),
    (22, "Spécialiste en médecine générale avec diplôme"),
    (23, "Spécialiste en médecine générale reconnu par l'Ordre"),
    (31, "Médecine physique et de réadaptation"),
    (32, "Neurologie"),
    (33, "Psychiatrie générale"),
    (34, "Gériatrie"),
    (35, "Néphrologie"),
    (36, "Chirurgie dentaire (spécialiste ODF)"),
    (37, "Anatomie et cytologie pathologiques"),
    (38, "Directeur de laboratoire médecin"),
    (41, "Chirurgie orthopédique et traumatologie"),
    (42, "Endocrinologie et métabolismes"),
    (43, "Chirurgie infantile"),
    (44, "Chirurgie maxillo-faciale"),
    (45, "Chirurgie maxillo-faciale et stomatologie"),
    (46, "Chirurgie plastique reconstructrice et esthétique"),
    (47, "Chirurgie thoracique et cardio-vasculaire"),
    (48, "Chirurgie vasculaire"),
    (49, "Chirurgie viscérale et digestive"),
    (69, "Chirurgie orale"),
    (70, "Gynécologie médicale"),
    (71, "Hématologie"),
    (72, "Médecine nucléaire"),
    (73, "Oncologie médicale"),
    (74, "Oncologie radiothérapique"),
    (75, "Psychiatrie de l'enfant et de l'adolescent"),
    (76, "Radiothérapie"),
    (77, "Obstétrique"),
    (78, "Génétique médicale"),
    (79, "Gynécologie obstétrique et gynécologie médicale"),
    (80, "Santé publique et médecine sociale"),
    (81, "Médecine des maladies infectieuses et tropicales"),
    (82, "Médecine légale et expertises médicales"),
    (83, "Médecine d'urgence"),
    (84, "Médecine vasculaire"),
    (85, "Allergologie"),
];
