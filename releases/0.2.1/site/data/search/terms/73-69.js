NC.data("search/terms/73-69",{"sides":[161,277],"signed":[36,83,277,278],"significant":[141,152,241,278,280],"since":[31,39,181,276]});
