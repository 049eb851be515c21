"""Runs Splink on one benchmark data set and writes its predictions in the layout of
`sipmas link csv`: pairs (id_l,id_r,match_probability,match_weight) and, for
deduplication, clusters (id,cluster_id).

    splink_run.py febrl3 OUT_DIR data/linkage/febrl3.csv
    splink_run.py febrl4 OUT_DIR data/linkage/febrl4a.csv data/linkage/febrl4b.csv
    splink_run.py indonesia OUT_DIR people.csv

FEBRL uses the Splink team's own FEBRL model (from their examples). The Indonesian model
is the closest Splink equivalent of config/linkage/indonesia.toml: the same columns and
blocking rules, Splink's comparisons, with the basic cleaning a Splink user would do first
(lowercase names without punctuation, ISO dates); `cluster_id` and `sumber` are not used.
"""

import re
import sys

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLD = 0.5


def read(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df.replace({"": None})


def febrl(kind, paths):
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only" if kind == "febrl3" else "link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        retain_intermediate_calculation_columns=False,
    )
    deterministic = [
        "l.soc_sec_id = r.soc_sec_id",
        "l.given_name = r.given_name and l.surname = r.surname and l.date_of_birth = r.date_of_birth",
    ]
    em_rules = [block_on("date_of_birth"), block_on("postcode")]
    return settings, [read(p) for p in paths], deterministic, 0.9, em_rules, "rec_id"


def clean_name(s):
    return None if s is None else re.sub(r"[^a-z ]", "", s.lower()).strip() or None


def iso(s):
    if s is None:
        return None
    m = re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", s)
    return f"{m.group(3)}-{m.group(2)}-{m.group(1)}" if m else s


def indonesia(paths):
    df = read(paths[0]).drop(columns=["cluster_id", "sumber", "alamat"])
    df["nama"] = df["nama"].map(clean_name)
    df["tanggal_lahir"] = df["tanggal_lahir"].map(iso)
    df["kecamatan"] = df["kode_desa"].str[:6]
    settings = SettingsCreator(
        unique_id_column_name="record_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("nik"),
            block_on("no_kk"),
            block_on("nama", "tanggal_lahir"),
            block_on("tanggal_lahir", "kecamatan"),
        ],
        comparisons=[
            cl.DamerauLevenshteinAtThresholds("nik", [1]),
            cl.NameComparison("nama").configure(term_frequency_adjustments=True),
            cl.ExactMatch("jenis_kelamin"),
            cl.DateOfBirthComparison(
                "tanggal_lahir", input_is_string=True, datetime_format="%Y-%m-%d"
            ),
            cl.ExactMatch("no_kk"),
            cl.ExactMatch("kode_desa"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    deterministic = ["l.nik = r.nik"]
    em_rules = [
        block_on("nik"),
        block_on("nama", "tanggal_lahir"),
    ]
    return settings, [df], deterministic, 0.8, em_rules, "record_id"


def main():
    kind, out_dir, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    if kind.startswith("febrl"):
        settings, frames, deterministic, recall, em_rules, id_col = febrl(kind, paths)
    else:
        settings, frames, deterministic, recall, em_rules, id_col = indonesia(paths)
    db_api = DuckDBAPI()
    tables = [db_api.register(f) for f in frames]
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=42)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    pairs = predictions.as_pandas_dataframe()
    pairs = pairs.rename(columns={f"{id_col}_l": "id_l", f"{id_col}_r": "id_r"})
    pairs[["id_l", "id_r", "match_probability", "match_weight"]].to_csv(
        f"{out_dir}/pairs.csv", index=False
    )
    if len(frames) == 1:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, THRESHOLD
        ).as_pandas_dataframe()
        clusters = clusters.rename(columns={id_col: "id"})[["id", "cluster_id"]]
        clusters.to_csv(f"{out_dir}/clusters.csv", index=False)


if __name__ == "__main__":
    main()
