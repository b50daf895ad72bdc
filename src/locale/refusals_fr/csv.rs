//! French for the CSV readers' refusals, hints and warnings (see `locale::refusals`).

pub(super) const ENTRIES: &[(&str, &str)] = &[
    (
        "no CSV profile recognises the columns of this bank export (\"{}\")",
        "aucun profil CSV ne reconnaît les colonnes de cet export bancaire (\"{}\")",
    ),
    (
        "add a profile for its columns under [[import.csv_profiles]] in your config file (--config, or ~/.config/encours/config.toml); config/csv_profiles.toml has examples to copy",
        "ajoutez un profil pour ses colonnes sous [[import.csv_profiles]] dans votre fichier de configuration (--config, ou ~/.config/encours/config.toml) ; config/csv_profiles.toml contient des exemples à copier",
    ),
    (
        "the file has a header but no bank line",
        "le fichier a une ligne d'en-tête mais aucune opération bancaire",
    ),
    (
        "export a period that has transactions",
        "exportez une période qui comporte des opérations",
    ),
    (
        "the file does not say which account it belongs to; choose the account, or set `account` in the CSV profile",
        "le fichier n'indique pas à quel compte il se rapporte ; choisissez le compte, ou renseignez `account` dans le profil CSV",
    ),
    (
        "the dates mix day/month and month/day order",
        "les dates mélangent l'ordre jour/mois et l'ordre mois/jour",
    ),
    (
        "export the file again with one date format, or set day_first in a CSV profile",
        "exportez à nouveau le fichier avec un seul format de date, ou renseignez day_first dans un profil CSV",
    ),
    (
        "export the file again; if it was edited, check its quotes",
        "exportez à nouveau le fichier ; s'il a été modifié, vérifiez ses guillemets",
    ),
    ("\"{}\" is not an amount", "\"{}\" n'est pas un montant"),
    (
        "fix the value and drop the file again",
        "corrigez la valeur et déposez à nouveau le fichier",
    ),
    (
        "a '{}' line was left out: {}",
        "une ligne '{}' a été écartée : {}",
    ),
    (
        "a line without a booking date (not settled yet) was left out: {}",
        "une ligne sans date de comptabilisation (opération en attente) a été écartée : {}",
    ),
    ("the date is missing", "la date est absente"),
    ("\"{}\" is not a date", "\"{}\" n'est pas une date"),
    (
        "dates read like 31/01/2024 or 2024-01-31; fix the value and drop the file again",
        "les dates s'écrivent 31/01/2024 ou 2024-01-31 ; corrigez la valeur et déposez à nouveau le fichier",
    ),
    (
        "\"{}\" is not a currency code",
        "\"{}\" n'est pas un code devise",
    ),
    (
        "use a three-letter ISO code such as EUR",
        "utilisez un code ISO à trois lettres, comme EUR",
    ),
    ("the amount is missing", "le montant est absent"),
    (
        "every line needs an amount; fix the line and drop the file again",
        "chaque ligne doit avoir un montant ; corrigez la ligne et déposez à nouveau le fichier",
    ),
    (
        "the line has {} fields but the header has {}; the fields were read by their position under the header, check the line",
        "la ligne compte {} champs mais l'en-tête en compte {} ; les champs ont été lus selon leur position sous l'en-tête, vérifiez la ligne",
    ),
    (
        "export the file again with '{}' as separator (or with quotes around the amounts), then import it again",
        "exportez à nouveau le fichier avec '{}' comme séparateur (ou avec des guillemets autour des montants), puis importez-le à nouveau",
    ),
    (
        "no header row with an invoice number and an amount column",
        "aucune ligne d'en-tête avec une colonne de numéro de facture et une colonne de montant",
    ),
    (
        "name the columns (e.g. 'N° facture', 'Client', 'Date facture', 'Montant TTC') or add a CSV profile of kind \"invoices\"",
        "nommez les colonnes (par ex. 'N° facture', 'Client', 'Date facture', 'Montant TTC') ou ajoutez un profil CSV de type \"invoices\"",
    ),
    (
        "no issue date ('Date facture', 'Invoice date') column",
        "aucune colonne de date de facture ('Date facture', 'Invoice date')",
    ),
    (
        "add the column or map it in a CSV profile of kind \"invoices\"",
        "ajoutez la colonne ou associez-la dans un profil CSV de type \"invoices\"",
    ),
    (
        "no customer column ('Code client', 'Client', 'Customer')",
        "aucune colonne client ('Code client', 'Client', 'Customer')",
    ),
    (
        "invoices must say whose they are: add the customer's code or name",
        "chaque facture doit indiquer son client : ajoutez le code ou le nom du client",
    ),
    (
        "the invoice number is empty",
        "le numéro de facture est vide",
    ),
    (
        "every row needs its invoice number; delete the row if it is not an invoice",
        "chaque ligne doit avoir son numéro de facture ; supprimez la ligne si ce n'est pas une facture",
    ),
    (
        "invoice {} is listed on line {} with {} and on line {} with {}",
        "la facture {} figure à la ligne {} pour {} et à la ligne {} pour {}",
    ),
    (
        "one of the two lines is wrong: correct or remove it, then drop the file again",
        "l'une des deux lignes est erronée : corrigez-la ou supprimez-la, puis déposez à nouveau le fichier",
    ),
    (
        "invoice {} repeats line {}; the repeat is left out",
        "la facture {} répète la ligne {} ; le doublon est écarté",
    ),
    (
        "{} total row(s) without an invoice number were left out",
        "{} ligne(s) de total sans numéro de facture ont été écartées",
    ),
    (
        "write dates as dd/mm/yyyy or yyyy-mm-dd (for month-first dates, set day_first = false in a CSV profile)",
        "écrivez les dates au format jj/mm/aaaa ou aaaa-mm-jj (pour des dates au format mois/jour, indiquez day_first = false dans un profil CSV)",
    ),
    (
        "write digits with one decimal mark, e.g. 1 234,56 or 1234.56",
        "écrivez des chiffres avec un seul séparateur décimal, par ex. 1 234,56 ou 1234.56",
    ),
    ("the issue date is empty", "la date de facture est vide"),
    (
        "every invoice needs its issue date",
        "chaque facture doit avoir sa date de facture",
    ),
    (
        "the due date {} is before the issue date {}",
        "la date d'échéance {} est antérieure à la date de facture {}",
    ),
    (
        "swap the two dates if they are inverted, or correct the due date",
        "intervertissez les deux dates si elles sont inversées, ou corrigez la date d'échéance",
    ),
    (
        "\"{}\" is not a document type",
        "\"{}\" n'est pas un type de pièce",
    ),
    (
        "write 'facture'/'invoice' or 'avoir'/'credit note'",
        "écrivez 'facture'/'invoice' ou 'avoir'/'credit note'",
    ),
    ("the amount is empty", "le montant est vide"),
    (
        "every invoice needs its total including tax",
        "chaque facture doit avoir son montant TTC",
    ),
    (
        "invoice {} has a negative amount ({})",
        "la facture {} a un montant négatif ({})",
    ),
    (
        "if it is a credit note, mark it as one: put 'avoir' or 'credit note' in a 'Type' column and the amount as a positive number",
        "s'il s'agit d'un avoir, indiquez-le : mettez 'avoir' ou 'credit note' dans une colonne 'Type' et le montant en positif",
    ),
    (
        "the open amount {} is not between 0 and the invoice amount {}",
        "le reste dû {} n'est pas compris entre 0 et le montant de la facture {}",
    ),
    (
        "check that the amount and open-amount columns are not swapped",
        "vérifiez que les colonnes du montant et du reste dû ne sont pas inversées",
    ),
    (
        "\"{}\" is not a known currency code",
        "\"{}\" n'est pas un code devise connu",
    ),
    (
        "use the ISO 4217 code, e.g. EUR, USD, GBP, CHF",
        "utilisez le code ISO 4217, par ex. EUR, USD, GBP, CHF",
    ),
    ("\"{}\" is neither yes nor no", "\"{}\" n'est ni oui ni non"),
    ("write oui/non or yes/no", "écrivez oui/non ou yes/no"),
    (
        "\"{}\" is not a valid SIREN or SIRET",
        "\"{}\" n'est pas un SIREN ou un SIRET valide",
    ),
    (
        "a SIREN has 9 digits (14 for a SIRET); check for a typo",
        "un SIREN compte 9 chiffres (14 pour un SIRET) ; vérifiez qu'il n'y a pas de faute de frappe",
    ),
    ("the customer is empty", "le client n'est pas renseigné"),
    (
        "give the customer's code or name on every row",
        "indiquez le code ou le nom du client sur chaque ligne",
    ),
    (
        "no header row with a customer code or name column",
        "aucune ligne d'en-tête avec une colonne de code ou de nom client",
    ),
    (
        "name the columns (e.g. 'Code client', 'Raison sociale', 'SIREN', 'Plafond') or add a CSV profile of kind \"customers\"",
        "nommez les colonnes (par ex. 'Code client', 'Raison sociale', 'SIREN', 'Plafond') ou ajoutez un profil CSV de type \"customers\"",
    ),
    (
        "customer {} repeats line {}; the repeat is left out",
        "le client {} répète la ligne {} ; le doublon est écarté",
    ),
    (
        "a SIREN has 9 digits (14 for a SIRET) and a check digit; check for a typo",
        "un SIREN compte 9 chiffres (14 pour un SIRET), dont une clé de contrôle ; vérifiez qu'il n'y a pas de faute de frappe",
    ),
    (
        "\"{}\" is not a VAT id",
        "\"{}\" n'est pas un numéro de TVA",
    ),
    (
        "a VAT id starts with its country code, e.g. FR12345678901",
        "un numéro de TVA commence par le code du pays, par ex. FR12345678901",
    ),
    (
        "the customer has neither code nor name",
        "le client n'a ni code ni nom",
    ),
    (
        "give each customer a code or a name",
        "donnez à chaque client un code ou un nom",
    ),
    (
        "\"{}\" is not an e-mail address; customer {} has none",
        "\"{}\" n'est pas une adresse e-mail ; le client {} n'en a pas",
    ),
    (
        "\"{}\" is not a number of days",
        "\"{}\" n'est pas un nombre de jours",
    ),
    (
        "write the terms in days, e.g. 30, 45 or '60 jours'",
        "écrivez le délai en jours, par ex. 30, 45 ou '60 jours'",
    ),
    (
        "customer {}: end-of-month terms are counted as plain days",
        "client {} : les délais fin de mois sont comptés en jours nets",
    ),
    (
        "\"{}\" is not a credit limit",
        "\"{}\" n'est pas un plafond de crédit",
    ),
    (
        "write a positive amount, e.g. 15 000 or 15000.00",
        "écrivez un montant positif, par ex. 15 000 ou 15000.00",
    ),
    ("\"{}\" is not a segment", "\"{}\" n'est pas un segment"),
    (
        "use strategic, standard, watch or new (stratégique, standard, surveillance, nouveau)",
        "utilisez stratégique, standard, surveillance ou nouveau (strategic, standard, watch, new)",
    ),
    (
        "no header row with a SIREN column and a grade, score, limit or insolvency column",
        "aucune ligne d'en-tête avec une colonne SIREN et une colonne de note, de score, de limite ou de procédure collective",
    ),
    (
        "name the columns (e.g. 'SIREN', 'Date', 'Note', 'Limite assureur') or add a CSV profile of kind \"ratings\"",
        "nommez les colonnes (par ex. 'SIREN', 'Date', 'Note', 'Limite assureur') ou ajoutez un profil CSV de type \"ratings\"",
    ),
    ("no date column", "aucune colonne de date"),
    (
        "a rating is only meaningful with its date: add a 'Date' column",
        "une notation n'a de sens qu'avec sa date : ajoutez une colonne 'Date'",
    ),
    (
        "ratings are matched to customers by SIREN: 9 digits with a check digit",
        "les notations sont rapprochées des clients par le SIREN : 9 chiffres, dont une clé de contrôle",
    ),
    (
        "write dates as dd/mm/yyyy or yyyy-mm-dd",
        "écrivez les dates au format jj/mm/aaaa ou aaaa-mm-jj",
    ),
    (
        "\"{}\" is not a score from 0 to 100",
        "\"{}\" n'est pas un score de 0 à 100",
    ),
    (
        "scores are normalised to 0 (worst) – 100 (best); put other scales in the grade column",
        "les scores sont ramenés de 0 (le pire) à 100 (le meilleur) ; mettez les autres échelles dans la colonne de note",
    ),
    (
        "write the insurer's limit as a positive amount; 0 means cover withdrawn",
        "écrivez la limite de l'assureur en montant positif ; 0 signifie que la garantie est retirée",
    ),
    (
        "write oui/non or yes/no (or the proceeding: sauvegarde, RJ, LJ)",
        "écrivez oui/non ou yes/no (ou la procédure : sauvegarde, RJ, LJ)",
    ),
];
