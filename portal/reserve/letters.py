"""placeholder"""
def after_move(engagement, action, actor):
    pass
