NC.data("search/terms/6d-65",{"medium":[280],"meeting":[45,64,67,88,125,232,251,276,277,278,280],"men":[59,120],"message":[171],"met":[45,277]});
