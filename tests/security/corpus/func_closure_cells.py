def outer():
    secret = 1
    def inner():
        return secret
    return inner

cells = outer().__closure__
