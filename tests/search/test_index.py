"""The index follows every change through the session, with no call from the areas: publish,
withdraw, a new version, a renamed meeting, a vote's opinion; and `meetings search reindex`
rebuilds the same index."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from meetings.cli import main
from meetings.config import Config
from meetings.documents import actions as documents
from meetings.minutes.models import RecordSection
from meetings.search.models import SearchEntry
from tests.client import Client
from tests.search.support import ACTOR, MINUTES_TEXT, Scene, found, log_in


def test_a_document_appears_to_members_once_published_and_goes_once_withdrawn(
    client: Client, scene: Scene
) -> None:
    log_in(client, scene.people["member"])
    doc = scene.document(
        scene.meeting, "Đề án chuyển đổi số", "Chuyển đổi số quốc gia.", publish=False
    )
    assert found(client, "chuyen doi so") == set()
    documents.publish(scene.db, scene.meeting, [doc], actor=ACTOR)
    assert found(client, "chuyen doi so") == {("document", "Đề án chuyển đổi số")}
    scene.withdraw(doc)
    assert found(client, "chuyen doi so") == set()
    secretary = Client(client.app)
    log_in(secretary, scene.people["secretary"])
    assert found(secretary, "chuyen doi so") == {("document", "Đề án chuyển đổi số")}


def test_a_new_version_is_searched_and_the_old_text_stays_searchable(
    client: Client, scene: Scene
) -> None:
    log_in(client, scene.people["member"])
    decree = scene.docs["decree"]
    scene.new_version(decree, "Bản sửa đổi bổ sung quy định về ví điện tử.")
    titles = {title for _, title in found(client, "vi dien tu", kind="document")}
    assert titles == {decree.title}
    assert decree.title in {title for _, title in found(client, "quoc khanh")}


def test_renaming_a_meeting_renames_its_records_in_the_index(
    client: Client, scene: Scene, db: Session
) -> None:
    log_in(client, scene.people["member"])
    scene.meeting.title = "Phiên họp về Căn cước công dân"
    db.add(scene.meeting)
    db.commit()
    results = found(client, "thao luan du thao")
    assert results == {("minutes", "12/BB-CP Phiên họp về Căn cước công dân")}


def test_an_edited_section_is_searched_and_its_old_words_are_gone(
    client: Client, scene: Scene, db: Session
) -> None:
    log_in(client, scene.people["member"])
    section = db.exec(select(RecordSection).where(RecordSection.text == MINUTES_TEXT)).one()
    section.text = "Các thành viên thống nhất về chữ ký số."
    db.add(section)
    db.commit()
    assert found(client, "chu ky so") == {("minutes", "12/BB-CP " + scene.meeting.title)}
    assert found(client, "thao luan du thao") == set()


def test_a_failed_transaction_leaves_the_index_as_it_was(scene: Scene, db: Session) -> None:
    before = db.exec(select(SearchEntry.id, SearchEntry.title)).all()
    scene.meeting.title = "Không bao giờ được lưu"
    db.add(scene.meeting)
    db.flush()
    assert db.exec(select(SearchEntry).where(SearchEntry.title == scene.meeting.title)).first()
    db.rollback()
    assert db.exec(select(SearchEntry.id, SearchEntry.title)).all() == before


def _index(engine: Engine) -> list[tuple[str, int, str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT source, source_id, kind, title, body_terms FROM searchentry")
        )
        return sorted(tuple(row) for row in rows)  # type: ignore[misc]


def _emptied(
    engine: Engine, config: Config, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, int, str, str, str]]:
    """Empty the index (what it held is returned) and point the command line at the database."""
    before = _index(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM searchentry"))
    monkeypatch.setenv("MEETINGS_DATABASE_URL", config.database_url)
    monkeypatch.setenv("MEETINGS_STORAGE_DIR", str(config.storage_dir))
    return before


def test_reindex_rebuilds_the_same_index_with_a_progress_bar(
    scene: Scene,
    engine: Engine,
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _emptied(engine, config, monkeypatch)
    assert main(["search", "reindex"]) == 0
    out = capsys.readouterr()
    assert "search index rebuilt" in out.out and "sources" in out.err and "[####" in out.err
    assert _index(engine) == before


def test_an_upgrade_builds_an_empty_index_of_a_database_with_meetings(
    scene: Scene,
    engine: Engine,
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A database that reaches migration 0010 has data but no index yet."""
    before = _emptied(engine, config, monkeypatch)
    assert main(["db", "upgrade"]) == 0
    assert "search index built" in capsys.readouterr().out
    assert _index(engine) == before
    assert main(["db", "upgrade"]) == 0
    assert "search index built" not in capsys.readouterr().out, "only while it is empty"
