from yipin.render.pages import relative_url
from yipin.site.places import place_slug, unique_slugs


def test_place_slug_drops_administrative_suffixes():
    assert place_slug("洲心街道") == "zhouxin"
    assert place_slug("清城区") == "qingcheng"
    assert place_slug("刘家堡街道") == "liujiabao"
    assert place_slug("北镇街道") == "beizhen"


def test_same_street_name_in_two_counties_gets_two_slugs():
    slugs = unique_slugs([("甘肃省", "兰州市", "城关区", "城关镇"), ("甘肃省", "天水市", "城关区", "城关镇"),
                          ("广东省", "清远市", "清城区", "洲心街道")])
    assert slugs[("广东省", "清远市", "清城区", "洲心街道")] == "qingcheng-zhouxin"
    assert slugs[("甘肃省", "兰州市", "城关区", "城关镇")] == "lanzhou-chengguan-chengguan"
    assert len(set(slugs.values())) == 3


def test_relative_urls_between_directory_pages():
    assert relative_url("cases/x/", "streets/y/") == "../../streets/y/"
    assert relative_url("", "cases/") == "cases/"
    assert relative_url("cases/", "cases/") == "./"
    assert relative_url("cases/x/", "api/v1/cases/x.json") == "../../api/v1/cases/x.json"
    assert relative_url("cases/x/", "cases/x/starter.yaml") == "starter.yaml"
    assert relative_url("cases/x/", "cases/") == "../"
    assert relative_url("cases/x/", "") == "../../"
    assert relative_url("guide/fields.md", "cases/") == "../../cases/"  # served as guide/fields/


def test_places_whose_whole_paths_read_alike_still_get_their_own_pages():
    paths = [("广东省", "清远市", "清城区", "石桥街道"), ("广东省", "清远市", "清城区", "时桥街道")]
    slugs = unique_slugs(paths)
    assert len(set(slugs.values())) == 2
    assert all(slug.startswith("qingcheng-shiqiao-") for slug in slugs.values())
