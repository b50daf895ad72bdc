//! French for the refusals, hints and warnings shared by every reader and by the writers
//! (see `locale::refusals`).

pub(super) const ENTRIES: &[(&str, &str)] = &[
    (
        "the file is {} MB, over the {} MB limit",
        "le fichier fait {} Mo, au-delà de la limite de {} Mo",
    ),
    (
        "split the export by period",
        "découpez l'export par période",
    ),
    ("the file is empty", "le fichier est vide"),
    (
        "export it again from the bank or accounting tool",
        "exportez-le à nouveau depuis la banque ou le logiciel comptable",
    ),
    (
        "this file is an intraday account report (CAMT.052): import the end-of-day statement (CAMT.053) instead",
        "ce fichier est un relevé intrajournalier (CAMT.052) : importez plutôt le relevé de fin de journée (CAMT.053)",
    ),
    (
        "this file is a payment order (pain.001) sent to the bank, not a statement: import the bank's CAMT.053",
        "ce fichier est un ordre de virement (pain.001) envoyé à la banque, pas un relevé : importez le CAMT.053 de la banque",
    ),
    (
        "this file is a direct-debit order (pain.008), not a statement: import the bank's CAMT.053",
        "ce fichier est un ordre de prélèvement (pain.008), pas un relevé : importez le CAMT.053 de la banque",
    ),
    (
        "this file is an XML document of a kind encours does not read (expected CAMT.053/054, UBL, Factur-X/CII or OFX)",
        "ce fichier est un document XML d'un type qu'encours ne lit pas (attendu : CAMT.053/054, UBL, Factur-X/CII ou OFX)",
    ),
    (
        "this file is a CFONB 240 remittance/transfer report (records 31/34/39), not a CFONB 120 account statement: ask the bank for the CFONB 120 \"relevé de compte\" export",
        "ce fichier est un compte rendu de remises/virements CFONB 240 (enregistrements 31/34/39), pas un relevé de compte CFONB 120 : demandez à la banque l'export CFONB 120 \"relevé de compte\"",
    ),
    (
        "this file is a CFONB 160 transfer or direct-debit order file, not a bank statement: import the CFONB 120 statement instead",
        "ce fichier est un fichier d'ordres de virement ou de prélèvement CFONB 160, pas un relevé bancaire : importez plutôt le relevé CFONB 120",
    ),
    ("it was not imported", "il n'a pas été importé"),
    (
        "the format is not recognised (expected a bank statement: CAMT.053/054, MT940, OFX, CFONB 120, QIF, CSV; or invoices: FEC, UBL, Factur-X/CII, CSV)",
        "le format n'est pas reconnu (attendu : un relevé bancaire CAMT.053/054, MT940, OFX, CFONB 120, QIF, CSV ; ou des factures FEC, UBL, Factur-X/CII, CSV)",
    ),
    (
        "if it is a CSV export, add a profile for its columns under [[import.csv_profiles]] in your config file (see config/csv_profiles.toml)",
        "s'il s'agit d'un export CSV, ajoutez un profil pour ses colonnes sous [[import.csv_profiles]] dans votre fichier de configuration (voir config/csv_profiles.toml)",
    ),
    ("the CSV cannot be read: {}", "le CSV est illisible : {}"),
    (
        "check the quotes on that line, then export the file again",
        "vérifiez les guillemets sur cette ligne, puis exportez le fichier à nouveau",
    ),
    (
        "the separator looks like '{}' but the profile '{}' says '{}'",
        "le séparateur semble être '{}' mais le profil '{}' indique '{}'",
    ),
    (
        "the separator looks like tab but the profile '{}' says '{}'",
        "le séparateur semble être la tabulation mais le profil '{}' indique '{}'",
    ),
    (
        "the separator looks like '{}' but the profile '{}' says tab",
        "le séparateur semble être '{}' mais le profil '{}' indique la tabulation",
    ),
    (
        "export the file again with '{}' as separator, or set delimiter = \"{}\" in the profile '{}' (or remove its delimiter to have it guessed)",
        "exportez le fichier à nouveau avec '{}' comme séparateur, ou indiquez delimiter = \"{}\" dans le profil '{}' (ou retirez son delimiter pour qu'il soit deviné)",
    ),
    (
        "export the file again with tab as separator, or set delimiter = \"{}\" in the profile '{}' (or remove its delimiter to have it guessed)",
        "exportez le fichier à nouveau avec la tabulation comme séparateur, ou indiquez delimiter = \"{}\" dans le profil '{}' (ou retirez son delimiter pour qu'il soit deviné)",
    ),
    (
        "the separator looks like '{}' but '{}' is also the decimal mark (\"{}\" is cut in two): this line splits into {} fields, the header on line {} into {}",
        "le séparateur semble être '{}' mais '{}' est aussi le séparateur décimal (\"{}\" est coupé en deux) : cette ligne se découpe en {} champs, l'en-tête de la ligne {} en {}",
    ),
    (
        "the separator looks like tab but tab is also the decimal mark (\"{}\" is cut in two): this line splits into {} fields, the header on line {} into {}",
        "le séparateur semble être la tabulation mais la tabulation est aussi le séparateur décimal (\"{}\" est coupé en deux) : cette ligne se découpe en {} champs, l'en-tête de la ligne {} en {}",
    ),
    (
        "export the file again with {} as separator (or with quotes around the amounts), then import it again",
        "exportez le fichier à nouveau avec {} comme séparateur (ou avec des guillemets autour des montants), puis importez-le à nouveau",
    ),
    (
        "the separator looks like '{}' on this line but '{}' on the header (line {})",
        "le séparateur semble être '{}' sur cette ligne mais '{}' sur l'en-tête (ligne {})",
    ),
    (
        "the separator looks like tab on this line but '{}' on the header (line {})",
        "le séparateur semble être la tabulation sur cette ligne mais '{}' sur l'en-tête (ligne {})",
    ),
    (
        "the separator looks like '{}' on this line but tab on the header (line {})",
        "le séparateur semble être '{}' sur cette ligne mais la tabulation sur l'en-tête (ligne {})",
    ),
    (
        "the file mixes separators: export it again, or replace '{}' by '{}' on this line",
        "le fichier mélange les séparateurs : exportez-le à nouveau, ou remplacez '{}' par '{}' sur cette ligne",
    ),
    (
        "the file mixes separators: export it again, or replace tab by '{}' on this line",
        "le fichier mélange les séparateurs : exportez-le à nouveau, ou remplacez la tabulation par '{}' sur cette ligne",
    ),
    (
        "the file mixes separators: export it again, or replace '{}' by tab on this line",
        "le fichier mélange les séparateurs : exportez-le à nouveau, ou remplacez '{}' par une tabulation sur cette ligne",
    ),
    (
        "{} {} has more decimals than the currency's minor unit ({})",
        "{} {} comporte plus de décimales que l'unité divisionnaire de la devise ({})",
    ),
    (
        "{} {} is too large to store",
        "{} {} est trop élevé pour être enregistré",
    ),
    (
        "amounts must be whole minor units of their currency",
        "les montants doivent correspondre à un nombre entier d'unités divisionnaires de leur devise (centimes pour l'euro)",
    ),
    (
        "settlement {} of invoice {} left out: the invoice is not in the database",
        "règlement {} de la facture {} non repris : la facture n'est pas dans la base",
    ),
    (
        "invoice {} names customer '{}', who is not known",
        "la facture {} désigne le client '{}', qui est inconnu",
    ),
    (
        "import the customer list first, or add the customer's name to the invoice file",
        "importez d'abord la liste des clients, ou ajoutez le nom du client dans le fichier de factures",
    ),
    (
        "invoice {} was already imported from {} with another amount or customer ({} {})",
        "la facture {} a déjà été importée depuis {} avec un autre montant ou un autre client ({} {})",
    ),
    (
        "credit note {} was already imported from {} with another amount or customer ({} {})",
        "l'avoir {} a déjà été importé depuis {} avec un autre montant ou un autre client ({} {})",
    ),
    (
        "invoice numbers must be unique: correct the export, or issue a credit note",
        "les numéros de facture doivent être uniques : corrigez l'export, ou émettez un avoir",
    ),
    (
        "invoice {} has a negative amount",
        "la facture {} a un montant négatif",
    ),
    (
        "write a credit note as its own document with a positive amount",
        "saisissez l'avoir comme un document distinct, avec un montant positif",
    ),
    (
        "correct the file (or export it again)",
        "corrigez le fichier (ou exportez-le à nouveau)",
    ),
];
