from impact import tokens


def test_tokens_are_43_url_safe_characters_and_differ_each_time():
    first, second = tokens.new_token(), tokens.new_token()
    assert first != second
    assert tokens.looks_like_token(first)
    assert len(first) == 43


def test_the_digest_depends_on_the_purpose_so_a_token_opens_one_kind_of_link():
    token = tokens.new_token()
    assert tokens.digest(token, tokens.PLAN) != tokens.digest(token, tokens.FOLLOW_UP)
    assert token not in tokens.digest(token, tokens.PLAN)


def test_odd_strings_are_not_tokens():
    for value in ("", "short", "x" * 44, "a" * 42 + "!", "../" * 15):
        assert not tokens.looks_like_token(value)
