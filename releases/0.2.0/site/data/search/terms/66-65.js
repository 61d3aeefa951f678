NC.data("search/terms/66-65",{"fend":[258,270],"few":[67,125,185]});
