from yipin.content.markdown import Prose
from yipin.utils.text import join_cjk_breaks


def test_folded_chinese_lines_lose_the_space_yaml_put_in():
    assert join_cjk_breaks("融入“智慧元”“共 建源”，与供电 等单位", spaces=True) == "融入“智慧元”“共建源”，与供电等单位"
    assert join_cjk_breaks("服务 2680 户", spaces=True) == "服务 2680 户"


def test_wrapped_markdown_keeps_blocks_and_latin_spacing():
    text = "第一行中文\n第二行\n- 列表\n\n段落 English\n中文"
    assert join_cjk_breaks(text) == "第一行中文第二行\n- 列表\n\n段落 English\n中文"


def test_rendered_prose_has_no_break_inside_a_chinese_sentence():
    html = Prose(["sane_lists"], {}).html("社区于2021年12月\n正式运营。\n\n第二段。")
    assert html == "<p>社区于2021年12月正式运营。</p>\n<p>第二段。</p>"
