//! French for the XML readers' refusals, hints and warnings (see `locale::refusals`).

pub(super) const ENTRIES: &[(&str, &str)] = &[
    (
        "the file holds no XML element",
        "le fichier ne contient aucun élément XML",
    ),
    (
        "export it again from the bank",
        "exportez-le à nouveau depuis la banque",
    ),
    (
        "the file does not start with a CAMT <Document> element",
        "le fichier ne commence pas par un élément CAMT <Document>",
    ),
    (
        "no <{}> or <{}> message in this document",
        "aucun message <{}> ou <{}> dans ce document",
    ),
    (
        "only CAMT.053 statements and CAMT.054 notifications are read; ask the bank for the CAMT.053 end-of-day statement",
        "seuls les relevés CAMT.053 et les avis CAMT.054 sont lus ; demandez à la banque le relevé de fin de journée CAMT.053",
    ),
    (
        "the message holds no <Stmt> or <Ntfctn>",
        "le message ne contient aucun <Stmt> ni <Ntfctn>",
    ),
    (
        "export the statement again for a period with activity",
        "exportez à nouveau le relevé sur une période comportant des mouvements",
    ),
    (
        "the statement names no account",
        "le relevé n'indique aucun compte",
    ),
    (
        "the <Acct> element is required: export the file again from the bank",
        "l'élément <Acct> est obligatoire : exportez à nouveau le fichier depuis la banque",
    ),
    ("the balance has no date", "le solde n'a pas de date"),
    (
        "export the file again from the bank",
        "exportez à nouveau le fichier depuis la banque",
    ),
    (
        "opening balance {} {} plus the entries ({}) gives {} {}, but the closing balance is {} {}: entries may be missing",
        "le solde initial de {} {} plus les écritures ({}) donne {} {}, mais le solde final est de {} {} : il manque peut-être des écritures",
    ),
    (
        "entry with status {} left out: it is not booked on the account",
        "écriture au statut {} écartée : elle n'est pas comptabilisée sur le compte",
    ),
    (
        "the entry has no booking date",
        "l'écriture n'a pas de date de comptabilisation",
    ),
    (
        "this batch of {} transactions gives no amount for each, so it is kept as one line of {} {}",
        "ce lot de {} opérations ne donne pas le montant de chacune ; il est donc conservé en une seule ligne de {} {}",
    ),
    (
        "the transaction says {} inside a {} entry; the entry's direction is used",
        "l'opération indique {} dans une écriture {} ; le sens de l'écriture est retenu",
    ),
    (
        "the {} transactions of this batch add up to {} {}, but the entry books {} {}",
        "les {} opérations de ce lot totalisent {} {}, mais l'écriture comptabilise {} {}",
    ),
    (
        "the transactions of this batch are not in {}, the currency the entry is booked in; their own amounts and currencies are kept",
        "les opérations de ce lot ne sont pas en {}, la devise de l'écriture ; leurs propres montants et devises sont conservés",
    ),
    (
        "the counterparty IBAN \"{}\" fails its check digits and was left out",
        "l'IBAN de la contrepartie \"{}\" a une clé de contrôle invalide et a été écarté",
    ),
    (
        "export the file again from the bank, or fix the value",
        "exportez à nouveau le fichier depuis la banque, ou corrigez la valeur",
    ),
    (
        "CAMT amounts are written like 1234.56, without sign or separators; export the file again from the bank, or fix the value",
        "les montants CAMT s'écrivent comme 1234.56, sans signe ni séparateur ; exportez à nouveau le fichier depuis la banque, ou corrigez la valeur",
    ),
    (
        "the credit/debit indicator is missing, so the sign of the amount is unknown",
        "l'indicateur crédit/débit est absent : le signe du montant est donc inconnu",
    ),
    (
        "\"{}\" is neither CRDT nor DBIT",
        "\"{}\" n'est ni CRDT ni DBIT",
    ),
    (
        "CAMT dates are written like 2024-03-31; export the file again from the bank",
        "les dates CAMT s'écrivent comme 2024-03-31 ; exportez à nouveau le fichier depuis la banque",
    ),
    (
        "the account IBAN \"{}\" fails its check digits; it is kept as an account number",
        "l'IBAN du compte \"{}\" a une clé de contrôle invalide ; il est conservé comme numéro de compte",
    ),
    (
        "the account has neither an IBAN nor another identifier",
        "le compte n'a ni IBAN ni autre identifiant",
    ),
    (
        "the XML is malformed near line {}: empty character reference",
        "le XML est mal formé vers la ligne {} : référence de caractère vide",
    ),
    (
        "the XML is malformed near line {}: {}",
        "le XML est mal formé vers la ligne {} : {}",
    ),
    (
        "the file looks damaged or truncated: export it again from the bank",
        "le fichier semble endommagé ou tronqué : exportez-le à nouveau depuis la banque",
    ),
    (
        "the file ends at line {} before this element is closed",
        "le fichier se termine à la ligne {} avant la fermeture de cet élément",
    ),
    (
        "elements are nested more than {} levels deep (line {})",
        "des éléments sont imbriqués sur plus de {} niveaux (ligne {})",
    ),
    (
        "this is not a bank statement the way banks write them",
        "ce n'est pas un relevé bancaire tel que les banques les produisent",
    ),
    (
        "the entity reference &{}; near line {} is not a standard XML entity; entities declared in the file are never expanded",
        "la référence d'entité &{}; vers la ligne {} n'est pas une entité XML standard ; les entités déclarées dans le fichier ne sont jamais développées",
    ),
    (
        "bank statements do not use custom entities: export the file again from the bank",
        "les relevés bancaires n'utilisent pas d'entités personnalisées : exportez à nouveau le fichier depuis la banque",
    ),
    (
        "this element holds more than {} elements",
        "cet élément contient plus de {} éléments",
    ),
    (
        "the text of <{}> near line {} is longer than {} KB",
        "le texte de <{}> vers la ligne {} dépasse {} Ko",
    ),
    (
        "e-invoice amounts are written like 1234.56: ask the sender for a corrected invoice",
        "les montants des factures électroniques s'écrivent comme 1234.56 : demandez à l'émetteur une facture corrigée",
    ),
    (
        "the invoice must state an ISO 4217 currency such as EUR",
        "la facture doit indiquer une devise ISO 4217, par exemple EUR",
    ),
    (
        "currencyID \"{}\" is not a known currency code",
        "le currencyID \"{}\" n'est pas un code devise connu",
    ),
    ("the invoice has no number", "la facture n'a pas de numéro"),
    (
        "an invoice without its number cannot be chased: ask the sender for a complete file",
        "une facture sans numéro ne peut pas être relancée : demandez à l'émetteur un fichier complet",
    ),
    (
        "the invoice has no issue date",
        "la facture n'a pas de date d'émission",
    ),
    (
        "ask the sender for a complete file",
        "demandez à l'émetteur un fichier complet",
    ),
    (
        "the invoice has no total",
        "la facture n'a pas de montant total",
    ),
    (
        "ask the sender for a file with its monetary totals",
        "demandez à l'émetteur un fichier comportant les totaux de la facture",
    ),
    (
        "invoice {} has a negative total ({}): imported as a credit note",
        "la facture {} a un total négatif ({}) : importée comme avoir",
    ),
    (
        "the amount already paid ({}) is not between 0 and the total ({})",
        "le montant déjà payé ({}) n'est pas compris entre 0 et le total ({})",
    ),
    (
        "the invoice's totals do not add up: ask the sender for a corrected invoice",
        "les totaux de la facture ne concordent pas : demandez à l'émetteur une facture corrigée",
    ),
    (
        "ask the sender for a corrected invoice",
        "demandez à l'émetteur une facture corrigée",
    ),
    ("the buyer has no name", "l'acheteur n'a pas de nom"),
    (
        "ask the sender for a file that names the buyer",
        "demandez à l'émetteur un fichier qui nomme l'acheteur",
    ),
    (
        "an attribute is malformed: {}",
        "un attribut est mal formé : {}",
    ),
    (
        "the XML is damaged: ask the sender for the invoice again",
        "le XML est endommagé : demandez à nouveau la facture à l'émetteur",
    ),
    (
        "the XML is not well-formed: a closing tag without its opening tag",
        "le XML n'est pas bien formé : une balise fermante sans sa balise ouvrante",
    ),
    (
        "the XML is not well-formed: unknown entity &{};",
        "le XML n'est pas bien formé : entité inconnue &{};",
    ),
    (
        "the XML is not well-formed: the document ends before its elements are closed",
        "le XML n'est pas bien formé : le document se termine avant la fermeture de ses éléments",
    ),
    (
        "the XML is not well-formed: {}",
        "le XML n'est pas bien formé : {}",
    ),
    (
        "the file is damaged or truncated: ask the sender for the invoice again",
        "le fichier est endommagé ou tronqué : demandez à nouveau la facture à l'émetteur",
    ),
    (
        "the XML nests too deeply",
        "le XML est imbriqué trop profondément",
    ),
    (
        "this is not an e-invoice layout encours can read",
        "ce n'est pas une structure de facture électronique qu'encours sait lire",
    ),
    (
        "date format {} gives no day",
        "le format de date {} ne donne pas de jour",
    ),
    (
        "dates must use format 102 (yyyymmdd): ask the sender for a corrected invoice",
        "les dates doivent utiliser le format 102 (aaaammjj) : demandez à l'émetteur une facture corrigée",
    ),
    (
        "dates must be written yyyymmdd (format 102): ask the sender for a corrected invoice",
        "les dates doivent s'écrire aaaammjj (format 102) : demandez à l'émetteur une facture corrigée",
    ),
    (
        "this is a ZUGFeRD 1.0 invoice",
        "c'est une facture ZUGFeRD 1.0",
    ),
    (
        "ask the sender for Factur-X or ZUGFeRD 2 (CrossIndustryInvoice), or for UBL",
        "demandez à l'émetteur une facture Factur-X ou ZUGFeRD 2 (CrossIndustryInvoice), ou UBL",
    ),
    (
        "the root element is (empty), not {}",
        "l'élément racine est (vide), et non {}",
    ),
    (
        "the root element is {}, not {}",
        "l'élément racine est {}, et non {}",
    ),
    (
        "only Factur-X/ZUGFeRD 2 invoices are read as CII",
        "seules les factures Factur-X/ZUGFeRD 2 sont lues comme CII",
    ),
    (
        "UBL dates are written yyyy-mm-dd: ask the sender for a corrected invoice",
        "les dates UBL s'écrivent aaaa-mm-jj : demandez à l'émetteur une facture corrigée",
    ),
    (
        "this UBL document is a , not an invoice or a credit note",
        "ce document UBL n'est ni une facture ni un avoir",
    ),
    (
        "this UBL document is a {}, not an invoice or a credit note",
        "ce document UBL est un {}, et non une facture ou un avoir",
    ),
    (
        "only UBL Invoice and CreditNote documents are imported",
        "seuls les documents UBL Invoice et CreditNote sont importés",
    ),
];
