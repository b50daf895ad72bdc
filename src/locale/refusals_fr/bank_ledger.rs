//! French for the bank statement and FEC readers' refusals, hints and warnings (see
//! `locale::refusals`).

pub(super) const ENTRIES: &[(&str, &str)] = &[
    (
        "'{}' has the shape of an IBAN but its check digits are wrong; it was not kept as the counterparty's IBAN",
        "'{}' a la forme d'un IBAN mais sa clé de contrôle est fausse ; il n'a pas été retenu comme IBAN de la contrepartie",
    ),
    (
        "account (unnamed account): opening balance {} + lines {} = {}, but the closing balance says {}; check that no page or day is missing",
        "compte (sans nom) : solde d'ouverture {} + mouvements {} = {}, mais le solde de clôture indique {} ; vérifiez qu'il ne manque ni page ni journée",
    ),
    (
        "account {}: opening balance {} + lines {} = {}, but the closing balance says {}; check that no page or day is missing",
        "compte {} : solde d'ouverture {} + mouvements {} = {}, mais le solde de clôture indique {} ; vérifiez qu'il ne manque ni page ni journée",
    ),
    (
        "the file does not follow the CFONB 120 layout here; export the statement again or ask the bank",
        "le fichier ne respecte pas ici la structure CFONB 120 ; exportez le relevé à nouveau ou interrogez la banque",
    ),
    (
        "\"{}\" is not a DDMMYY date",
        "\"{}\" n'est pas une date JJMMAA",
    ),
    (
        "\"{}\" is not a CFONB amount",
        "\"{}\" n'est pas un montant CFONB",
    ),
    ("'{}' is not a digit", "'{}' n'est pas un chiffre"),
    (
        "this looks like CFONB 240, which encours does not read: ask the bank for the CFONB 120 statement",
        "ce fichier ressemble à du CFONB 240, qu'encours ne lit pas : demandez à la banque le relevé au format CFONB 120",
    ),
    (
        "every CFONB 120 record is exactly 120 characters; an editor may have removed trailing spaces: export the statement again",
        "chaque enregistrement CFONB 120 fait exactement 120 caractères ; un éditeur a peut-être supprimé les espaces de fin : exportez le relevé à nouveau",
    ),
    (
        "every CFONB 120 record is exactly 120 characters; the file was probably cut or edited",
        "chaque enregistrement CFONB 120 fait exactement 120 caractères ; le fichier a probablement été tronqué ou modifié",
    ),
    (
        "the record is {} characters long instead of {}",
        "l'enregistrement fait {} caractères au lieu de {}",
    ),
    (
        "account {}: the balance of {} ({}) does not follow on from the closing balance of {} ({}); a day may be missing",
        "compte {} : le solde du {} ({}) ne reprend pas le solde de clôture du {} ({}) ; il manque peut-être une journée",
    ),
    (
        "a complement record (05) comes before any operation (04)",
        "un enregistrement complémentaire (05) précède toute opération (04)",
    ),
    (
        "\"{}\" is not a CFONB 120 record code (01, 04, 05, 07)",
        "\"{}\" n'est pas un code d'enregistrement CFONB 120 (01, 04, 05, 07)",
    ),
    (
        "the file holds no CFONB 120 record",
        "le fichier ne contient aucun enregistrement CFONB 120",
    ),
    (
        "export the statement again from the bank",
        "exportez le relevé à nouveau depuis la banque",
    ),
    (
        "some labels run into the reserved zone (columns 80-90); they were read as part of the label",
        "certains libellés débordent sur la zone réservée (colonnes 80-90) ; ces caractères ont été lus comme faisant partie du libellé",
    ),
    (
        "complement qualifier '{}' is not a known CFONB one; its text was added to the label",
        "le qualifiant de complément '{}' n'est pas un qualifiant CFONB connu ; son texte a été ajouté au libellé",
    ),
    (
        "no MT940 statement (:20: … :62F:) was found",
        "aucun relevé MT940 (:20: … :62F:) n'a été trouvé",
    ),
    (
        "check that the file is the bank's MT940/SWIFT statement export",
        "vérifiez que le fichier est bien l'export de relevés MT940/SWIFT de la banque",
    ),
    (
        "account '{}' has the shape of an IBAN but its check digits are wrong; it is kept as an account number",
        "le compte '{}' a la forme d'un IBAN mais sa clé de contrôle est fausse ; il est conservé comme numéro de compte",
    ),
    (
        "the statement has no :25: account field",
        "le relevé n'a pas de champ compte :25:",
    ),
    (
        "the file looks cut or edited; export the statement again",
        "le fichier semble tronqué ou modifié ; exportez le relevé à nouveau",
    ),
    (
        "this page opens at {} but the previous page closed at {}",
        "cette page s'ouvre sur un solde de {} alors que la page précédente se clôturait à {}",
    ),
    (
        "the statement ends on an intermediate balance (:62M:): its next page is not in this file",
        "le relevé se termine sur un solde intermédiaire (:62M:) : sa page suivante ne figure pas dans ce fichier",
    ),
    (
        "the balance does not start with C or D in \"{}\"",
        "le solde ne commence pas par C ou D dans \"{}\"",
    ),
    (
        "the balance date is not a valid YYMMDD date in \"{}\"",
        "la date du solde n'est pas une date AAMMJJ valide dans \"{}\"",
    ),
    (
        "the currency code is missing in \"{}\"",
        "le code devise manque dans \"{}\"",
    ),
    (
        "the amount is not a number in \"{}\"",
        "le montant n'est pas un nombre dans \"{}\"",
    ),
    (
        "a balance reads like C240131EUR1234,56 (C credit / D debit, date YYMMDD, currency, amount)",
        "un solde s'écrit comme C240131EUR1234,56 (C crédit / D débit, date AAMMJJ, devise, montant)",
    ),
    (
        "the value date is not a valid YYMMDD date in \"{}\"",
        "la date de valeur n'est pas une date AAMMJJ valide dans \"{}\"",
    ),
    (
        "the entry date is not a valid MMDD date in \"{}\"",
        "la date de comptabilisation n'est pas une date MMJJ valide dans \"{}\"",
    ),
    (
        "the debit/credit mark is not C, D, RC or RD in \"{}\"",
        "le sens débit/crédit n'est pas C, D, RC ou RD dans \"{}\"",
    ),
    (
        "the amount is missing or not a number in \"{}\"",
        "le montant manque ou n'est pas un nombre dans \"{}\"",
    ),
    (
        "the transaction type (such as NTRF) is missing in \"{}\"",
        "le type d'opération (par exemple NTRF) manque dans \"{}\"",
    ),
    (
        "a statement line reads like 2401310131C1234,56NTRFREF//BANKREF (value date YYMMDD, optional entry date MMDD, C/D/RC/RD, amount, type)",
        "une ligne de relevé s'écrit comme 2401310131C1234,56NTRFREF//BANKREF (date de valeur AAMMJJ, date de comptabilisation MMJJ facultative, C/D/RC/RD, montant, type)",
    ),
    (
        "the file ends before <{}>, opened here, is closed",
        "le fichier se termine avant la fermeture de <{}>, ouvert ici",
    ),
    (
        "the file looks truncated: export it again from the bank",
        "le fichier semble tronqué : exportez-le à nouveau depuis la banque",
    ),
    (
        "<{}> starts before the previous one is closed",
        "<{}> commence avant la fermeture du précédent",
    ),
    (
        "the file looks damaged: export it again from the bank",
        "le fichier semble endommagé : exportez-le à nouveau depuis la banque",
    ),
    (
        "this OFX file holds no bank (STMTRS) or credit-card (CCSTMTRS) statement",
        "ce fichier OFX ne contient aucun relevé bancaire (STMTRS) ni relevé de carte (CCSTMTRS)",
    ),
    (
        "export the account statement from the bank; investment statements are not read",
        "exportez le relevé de compte depuis la banque ; les relevés de titres ne sont pas lus",
    ),
    (
        "OFX dates are written like 20240331 or 20240331120000; export the file again from the bank",
        "les dates OFX s'écrivent comme 20240331 ou 20240331120000 ; exportez le fichier à nouveau depuis la banque",
    ),
    ("the transaction has no date", "l'opération n'a pas de date"),
    (
        "the transaction has no amount",
        "l'opération n'a pas de montant",
    ),
    (
        "the transaction has no {}",
        "l'opération n'a pas de champ {}",
    ),
    (
        "TRNTYPE {} but TRNAMT {}: the signed amount is kept",
        "TRNTYPE {} mais TRNAMT {} : le montant signé est conservé",
    ),
    (
        "the ledger balance has no date (DTASOF) and was left out",
        "le solde comptable n'a pas de date (DTASOF) et a été écarté",
    ),
    (
        "the statement gives no currency (CURDEF); {} was assumed",
        "le relevé n'indique pas de devise (CURDEF) ; la devise {} a été retenue",
    ),
    (
        "a tag is not closed before the end of the file",
        "une balise n'est pas fermée avant la fin du fichier",
    ),
    ("\"<{}\" is not a tag", "\"<{}\" n'est pas une balise"),
    (
        "elements are nested more than {} levels deep",
        "les éléments sont imbriqués sur plus de {} niveaux",
    ),
    (
        "this is not an OFX statement the way banks write them",
        "ce n'est pas un relevé OFX tel que les banques le produisent",
    ),
    (
        "the QIF file holds no bank transaction",
        "le fichier QIF ne contient aucune opération bancaire",
    ),
    (
        "export a bank or card account (!Type:Bank or !Type:CCard) from the software",
        "exportez depuis le logiciel un compte bancaire ou un compte carte (!Type:Bank ou !Type:CCard)",
    ),
    (
        "each QIF record needs a D line; export the account again",
        "chaque enregistrement QIF doit avoir une ligne D ; exportez le compte à nouveau",
    ),
    (
        "QIF dates read like 31/01/2024, 01/31/2024 or 1/31'24",
        "les dates QIF s'écrivent comme 31/01/2024, 01/31/2024 ou 1/31'24",
    ),
    (
        "each QIF record needs a T line; export the account again",
        "chaque enregistrement QIF doit avoir une ligne T ; exportez le compte à nouveau",
    ),
    (
        "the QIF file does not name its account (no !Account block); choose the account it belongs to",
        "le fichier QIF ne nomme pas son compte (pas de bloc !Account) ; choisissez le compte auquel il se rapporte",
    ),
    (
        "investment account lines (!Type:Invst) were left out: they are not bank movements",
        "les lignes de compte titres (!Type:Invst) ont été écartées : ce ne sont pas des mouvements bancaires",
    ),
    (
        "export the account again with one date format",
        "exportez le compte à nouveau avec un seul format de date",
    ),
    (
        "every date fits both day/month and month/day; they were read month first (Quicken style)",
        "toutes les dates se lisent aussi bien jour/mois que mois/jour ; elles ont été lues mois en premier (style Quicken)",
    ),
    (
        "every date fits both day/month and month/day; they were read day first",
        "toutes les dates se lisent aussi bien jour/mois que mois/jour ; elles ont été lues jour en premier",
    ),
    (
        "the FEC header is neither tab- nor pipe-separated",
        "l'en-tête du FEC n'est séparé ni par des tabulations ni par des barres verticales",
    ),
    (
        "export the FEC again: the format requires a tab or '|' between columns",
        "exportez le FEC à nouveau : le format exige une tabulation ou un '|' entre les colonnes",
    ),
    (
        "the FEC header has no '{}' column",
        "l'en-tête du FEC n'a pas de colonne '{}'",
    ),
    (
        "the file must carry the 18 standard FEC columns (JournalCode … Idevise)",
        "le fichier doit comporter les 18 colonnes réglementaires du FEC (JournalCode … Idevise)",
    ),
    (
        "the FEC header has neither Debit/Credit nor Montant/Sens columns",
        "l'en-tête du FEC n'a ni colonnes Debit/Credit ni colonnes Montant/Sens",
    ),
    (
        "export the FEC again with its amount columns",
        "exportez le FEC à nouveau avec ses colonnes de montant",
    ),
    (
        "FEC amounts are written like 1234,56: export the FEC again",
        "les montants du FEC s'écrivent comme 1234,56 : exportez le FEC à nouveau",
    ),
    (
        "FEC dates are written yyyymmdd: export the FEC again",
        "les dates du FEC s'écrivent aaaammjj : exportez le FEC à nouveau",
    ),
    ("the FEC is empty", "le FEC est vide"),
    ("export it again", "exportez-le à nouveau"),
    (
        "{} fields where the header has {}",
        "{} champs alors que l'en-tête en compte {}",
    ),
    (
        "a label may contain the separator: export the FEC again",
        "un libellé contient peut-être le séparateur : exportez le FEC à nouveau",
    ),
    ("the entry date is empty", "la date d'écriture est vide"),
    (
        "every FEC line needs its EcritureDate: export the FEC again",
        "chaque ligne du FEC doit avoir son EcritureDate : exportez le FEC à nouveau",
    ),
    (
        "\"{}\" is not a side (D or C)",
        "\"{}\" n'est pas un sens (D ou C)",
    ),
    ("export the FEC again", "exportez le FEC à nouveau"),
    (
        "the account number is empty",
        "le numéro de compte est vide",
    ),
    (
        "every FEC line needs its CompteNum: export the FEC again",
        "chaque ligne du FEC doit avoir son CompteNum : exportez le FEC à nouveau",
    ),
    (
        "entry {} {} does not balance: debits minus credits = {}",
        "l'écriture {} {} n'est pas équilibrée : débits moins crédits = {}",
    ),
    (
        "a FEC entry must balance; this file is truncated or damaged: export it again",
        "une écriture du FEC doit être équilibrée ; ce fichier est tronqué ou endommagé : exportez-le à nouveau",
    ),
    (
        "entry {} {} does not balance: debits minus credits = {} (the file may be truncated)",
        "l'écriture {} {} n'est pas équilibrée : débits moins crédits = {} (le fichier est peut-être tronqué)",
    ),
    (
        "{} supplier credit note(s) were left out of the payables",
        "{} avoir(s) fournisseur écarté(s) des dettes fournisseurs",
    ),
    (
        "{} customer payment(s) totalling {} carry no lettering code: they are not tied to invoices",
        "{} règlement(s) client d'un total de {} sans code de lettrage : ils ne sont rattachés à aucune facture",
    ),
    (
        "{} transfer(s) to doubtful receivables (416) leave their invoices open",
        "{} transfert(s) en créances douteuses (416) laissent leurs factures ouvertes",
    ),
];
