NC.data("search/terms/74-78",{"txt":[276,277,278,279,280]});
