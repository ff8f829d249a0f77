from __future__ import annotations

from taskctl.cli import cli


def test_list_leader_tsv(runner):
    result = runner.invoke(
        cli, ["list", "--leader", "于德忱", "--id", "1", "--as-of", "2023-03-01"]
    )
    assert result.exit_code == 0
    assert (
        result.stdout
        == "1\t一\t地区生产总值同比增长7%\t于德忱\t发改局\t各开发园区、各有关部门\t未启动\t\t\t红\n"
    )
