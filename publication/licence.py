"""The terms the archive's records are offered under: those of the source document they come from, which
the records keep. Said in both languages, since the archive's files are one for both; the pages that
state them (the data page, the terms of reuse) and the downloads read them from here."""

LICENCE = {
    "ja": "政府標準利用規約（第2.0版）。クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）と互換。",
    "en": "Government of Japan Standard Terms of Use (Version 2.0), compatible with CC BY 4.0.",
}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
SOURCE = {
    "ja": "総務省「ICT 国際戦略の推進（総務省におけるICT政策の取組状況）」",
    "en": "Ministry of Internal Affairs and Communications (MIC), Japan, “ICT 国際戦略の推進”",
}
