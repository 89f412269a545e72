"""placeholder"""
def follow_application(application, to_status, actor):
    pass
