from campaign.site.pages.paginate import page_src, paginate


def test_pages_cover_every_item_once():
    items = list(range(120))
    pages = list(paginate("actions/index.md", items, 50))
    assert [p.src_uri for p in pages] == ["actions/index.md", "actions/index-2.md", "actions/index-3.md"]
    assert sum((list(p.items) for p in pages), []) == items
    assert pages[0].previous is None and pages[0].next == "actions/index-2.md"
    assert pages[2].next is None and pages[2].first_index == 100


def test_empty_list_gives_one_page():
    (only,) = paginate("cases/index.md", [], 50)
    assert only.count == 1 and list(only.items) == []


def test_window_is_bounded_with_gaps():
    pages = list(paginate("x/index.md", list(range(1000)), 10))
    window = pages[49].window
    numbers = [n for n, _ in window]
    assert numbers == [1, 0, 47, 48, 49, 50, 51, 52, 53, 0, 100]
    assert page_src("x/index.md", 2) == "x/index-2.md"


def test_excerpt_shows_short_lists_whole_and_cuts_long_ones():
    from campaign.site.pages.paginate import TOP, excerpt

    short = excerpt(list(range(TOP)), "progress/overdue.md")
    assert not short.cut and list(short.shown) == list(range(TOP)) and short.total == TOP
    long = excerpt(list(range(TOP + 1)), "progress/overdue.md")
    assert long.cut and long.full == "progress/overdue.md" and len(long.shown) == TOP and long.total == TOP + 1
